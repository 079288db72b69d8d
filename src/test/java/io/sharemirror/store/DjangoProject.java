package io.sharemirror.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A Django project (Debian's python3-django, 3.2, under /usr/bin/python3) as {@code django-admin startproject} and
 * {@code manage.py startapp} make it, with one app, {@code shop}, whose models change in three releases; each
 * release's migration is made by {@code makemigrations}, never written by hand. Each desktop (or the share itself)
 * gets a settings module of its own that points {@code DATABASES} at one file and changes nothing else.
 */
final class DjangoProject {

    /** Release 1: a parent with a unique name, a child with a cascading foreign key and a nullable note. */
    private static final String RELEASE_1 = String.join("\n",
            "from django.db import models",
            "class Shelf(models.Model):",
            "    name = models.CharField(max_length=50, unique=True)",
            "class Book(models.Model):",
            "    shelf = models.ForeignKey(Shelf, on_delete=models.CASCADE)",
            "    title = models.CharField(max_length=100)",
            "    note = models.TextField(null=True)",
            "");
    /** Release 2: a new model and a field on each table (Django 3.2 rebuilds a SQLite table for every added field). */
    private static final String RELEASE_2 = RELEASE_1.replace("unique=True)\n",
            "unique=True)\n    room = models.CharField(max_length=20, default='main')\n")
            .replace("null=True)\n", "null=True)\n    isbn = models.CharField(max_length=20, null=True)\n")
            + String.join("\n",
            "class Loan(models.Model):",
            "    book = models.ForeignKey(Book, on_delete=models.CASCADE)",
            "    borrower = models.CharField(max_length=50)",
            "");
    /** Release 3: the nullable note made NOT NULL and the ISBN unique, both by {@code _remake_table}. */
    private static final String RELEASE_3 = RELEASE_2
            .replace("note = models.TextField(null=True)", "note = models.TextField(default='')")
            .replace("isbn = models.CharField(max_length=20, null=True)",
                    "isbn = models.CharField(max_length=20, null=True, unique=True)");

    /** The shop's migrations at the last release. */
    static final int MIGRATIONS = 3;

    /** {@code cd <project> && python3 manage.py <sys.argv[2:]>}, manage.py being the file startproject wrote. */
    private static final String MANAGE = String.join("\n",
            "import os, runpy, sys",
            "os.chdir(os.path.dirname(sys.argv[1]))",
            "sys.path.insert(0, '.')",
            "sys.argv = sys.argv[1:]",
            "runpy.run_path(sys.argv[0], run_name='__main__')");

    /** Runs sys.argv[3] with the shop's models imported, as a view of the application would use them. */
    private static final String ORM = String.join("\n",
            "import os, sys",
            "sys.path.insert(0, sys.argv[1])",
            "os.environ['DJANGO_SETTINGS_MODULE'] = 'library.' + sys.argv[2]",
            "import django",
            "django.setup()",
            "from django.db import transaction",
            "from shop.models import *",
            "with transaction.atomic():",
            "    exec(sys.argv[3])");

    private final Path folder;

    private DjangoProject(Path folder) {
        this.folder = folder;
    }

    /**
     * The project at each release, oldest first, each in a folder of its own under {@code folder} as a desktop would
     * have it installed: made by {@code startproject}, then each release's models and their {@code makemigrations}.
     */
    static List<DjangoProject> releases(Path folder) throws Exception {
        Path work = folder.resolve("work");
        Files.createDirectories(work);
        ok(OtherPrograms.python("import sys\nfrom django.core import management\n"
                + "management.execute_from_command_line(['django-admin', 'startproject', 'library', sys.argv[1]])",
                work.toString()));
        DjangoProject project = new DjangoProject(work);
        ok(project.manage("settings", "startapp", "shop"));
        Path settings = work.resolve("library").resolve("settings.py");
        Files.writeString(settings, Files.readString(settings)
                .replace("'django.contrib.staticfiles',\n", "'django.contrib.staticfiles',\n    'shop',\n"));
        List<DjangoProject> releases = new ArrayList<>();
        for (String models : List.of(RELEASE_1, RELEASE_2, RELEASE_3)) {
            Files.writeString(work.resolve("shop").resolve("models.py"), models);
            ok(project.manage("settings", "makemigrations", "shop", "--noinput"));
            releases.add(new DjangoProject(copy(work, folder.resolve("release" + (releases.size() + 1)))));
        }
        return releases;
    }

    /** The project's sources, without Python's caches. */
    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.filter(f -> !f.toString().contains("__pycache__")).toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else if (file.toString().endsWith(".py")) {
                    Files.copy(file, target);
                }
            }
        }
        return to;
    }

    /** A settings module, {@code library.<name>}, that is the project's settings with {@code database} as NAME. */
    void settings(String name, Path database) throws Exception {
        String path = database.toAbsolutePath().toString().replace("\\", "\\\\").replace("'", "\\'");
        Files.writeString(folder.resolve("library").resolve(name + ".py"),
                "from .settings import *\nDATABASES['default']['NAME'] = '" + path + "'\n");
    }

    /** {@code manage.py <args> --settings=library.<settings>}. */
    OtherPrograms.Run manage(String settings, String... args) throws Exception {
        String[] command = new String[args.length + 2];
        command[0] = folder.resolve("manage.py").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        command[args.length + 1] = "--settings=library." + settings;
        return OtherPrograms.python(MANAGE, command);
    }

    /** Runs Python {@code code} in one ORM transaction with the models {@code Shelf}, {@code Book}, {@code Loan}. */
    OtherPrograms.Run orm(String settings, String code) throws Exception {
        return OtherPrograms.python(ORM, folder.toString(), settings, code);
    }

    /** The run's output, after asserting that it exited 0. */
    static String ok(OtherPrograms.Run run) {
        assertEquals(0, run.exitCode(), run.output());
        return run.output();
    }
}
