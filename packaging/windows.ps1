# Builds the Windows installer of ShareMirror with jpackage, into target\packaging\:
#   ShareMirror-<version>.msi (or .exe with -Type exe)
# a per-user install (no administrator rights) with a Start menu entry and the icon drawn from icons\app.svg.
# Needs JDK 17+ and the WiX Toolset 3 (candle.exe, light.exe) on PATH, which jpackage uses for both types,
# and target\sharemirror.jar (mvn -B -DskipTests package). -AppVersion (or APP_VERSION) overrides the pom's.
# Not yet run on Windows: written from jpackage's documented options.
param(
    [ValidateSet("msi", "exe")] [string] $Type = "msi",
    [string] $AppVersion = $env:APP_VERSION
)
$ErrorActionPreference = "Stop"

function Fail([string] $message) {
    [Console]::Error.WriteLine("packaging: $message")
    exit 2
}

$root = Split-Path -Parent $PSScriptRoot
$jar = Join-Path $root "target\sharemirror.jar"
$out = Join-Path $root "target\packaging"
if (-not (Test-Path $jar)) { Fail "$jar is missing; build it first with: mvn -B -DskipTests package" }
if (-not (Get-Command jpackage -ErrorAction SilentlyContinue)) { Fail "jpackage is not on PATH; it ships with JDK 17 and later" }
if (-not (Get-Command candle.exe -ErrorAction SilentlyContinue)) { Fail "the WiX Toolset 3 is not on PATH; jpackage needs its candle.exe and light.exe" }
if (-not $AppVersion) {
    $AppVersion = ([xml](Get-Content (Join-Path $root "pom.xml"))).project.version -replace '-SNAPSHOT$', ''
}
if ($AppVersion -notmatch '^\d+(\.\d+){0,2}$') {
    Fail "app version '$AppVersion' is not one to three numbers separated by dots; pass -AppVersion 1.2.0"
}

# jpackage copies everything in --input into the app, so it gets a folder holding only the jar.
Remove-Item -Recurse -Force $out -ErrorAction SilentlyContinue
New-Item -ItemType Directory -Force "$out\input", "$out\icons" | Out-Null
Copy-Item $jar "$out\input\"
& java -cp $jar io.sharemirror.ui.IconExport "$out\icons" | Out-Null
if ($LASTEXITCODE -ne 0) { Fail "drawing the icons from icons\app.svg failed" }

# The runtime holds only the modules the jar uses (jdeps), not the whole JDK.
$modules = (& jdeps --multi-release 17 --ignore-missing-deps --print-module-deps $jar).Trim()

# The main launcher is a GUI program, so nothing flashes up at login, but it prints nowhere in a terminal;
# ShareMirrorCli.exe is the same program as a console one, for status, sync and scripts.
$cli = Join-Path $out "ShareMirrorCli.properties"
Set-Content -Path $cli -Value "win-console=true" -Encoding Ascii

# The upgrade UUID stays the same for every version, so an installer replaces the version before it.
& jpackage --type $Type --name ShareMirror --app-version $AppVersion --vendor ShareMirror `
    --description "Keeps SQLite databases on network shares mirrored on this computer" `
    --input "$out\input" --main-jar sharemirror.jar --main-class io.sharemirror.app.Main --arguments run `
    --add-modules $modules --icon "$out\icons\ShareMirror.ico" --add-launcher "ShareMirrorCli=$cli" `
    --win-per-user-install --win-menu --win-menu-group ShareMirror `
    --win-upgrade-uuid 21abc9a1-042d-4e34-b7bd-07e2d05cc76f --dest $out
if ($LASTEXITCODE -ne 0) { Fail "jpackage failed with exit code $LASTEXITCODE" }
Get-ChildItem "$out\*.$Type" | ForEach-Object { $_.FullName }
