package io.sharemirror.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class MacLaunchAgentTest {

    @TempDir
    Path agents;

    private static final LaunchCommand COMMAND = new LaunchCommand(List.of(
            "/Applications/ShareMirror.app/Contents/MacOS/ShareMirror", "run", "--config",
            "/Users/me/R&D <team>/config.yaml"));

    @Test
    void writesALaunchAgentThatRunsAtLoadWithoutKeepAlive() throws Exception {
        MacLaunchAgent agent = new MacLaunchAgent(agents);
        agent.enable(COMMAND);

        assertEquals("""
                <?xml version="1.0" encoding="UTF-8"?>
                <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
                <plist version="1.0">
                <dict>
                \t<key>Label</key>
                \t<string>io.sharemirror.ShareMirror</string>
                \t<key>ProgramArguments</key>
                \t<array>
                \t\t<string>/Applications/ShareMirror.app/Contents/MacOS/ShareMirror</string>
                \t\t<string>run</string>
                \t\t<string>--config</string>
                \t\t<string>/Users/me/R&amp;D &lt;team&gt;/config.yaml</string>
                \t</array>
                \t<key>RunAtLoad</key>
                \t<true/>
                </dict>
                </plist>
                """, Files.readString(agents.resolve("io.sharemirror.ShareMirror.plist")));
    }

    @Test
    void anXmlParserReadsTheArgumentsBackUnchanged() throws Exception {
        MacLaunchAgent agent = new MacLaunchAgent(agents);
        agent.enable(COMMAND);

        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false); // offline
        Element array = (Element) factory.newDocumentBuilder().parse(Path.of(agent.location()).toFile())
                .getElementsByTagName("array").item(0);
        NodeList strings = array.getElementsByTagName("string");
        List<String> parsed = new ArrayList<>();
        for (int i = 0; i < strings.getLength(); i++) {
            parsed.add(strings.item(i).getTextContent());
        }
        assertEquals(COMMAND.arguments(), parsed);
    }

    @Test
    void enableIsEnabledDisableRoundTripIsIdempotent() throws Exception {
        MacLaunchAgent agent = new MacLaunchAgent(agents.resolve("LaunchAgents"));
        assertFalse(agent.isEnabled());
        agent.disable();
        agent.enable(COMMAND);
        String first = Files.readString(Path.of(agent.location()));
        agent.enable(COMMAND);
        assertTrue(agent.isEnabled());
        assertEquals(first, Files.readString(Path.of(agent.location())));
        agent.disable();
        agent.disable();
        assertFalse(agent.isEnabled());
    }

    @Test
    void aControlCharacterIsRefusedWithTheReason() {
        var e = assertThrows(IllegalArgumentException.class, () -> MacLaunchAgent.xml("/Users/me/a\u0001b"));
        assertTrue(e.getMessage().contains("U+0001"), e.getMessage());
    }
}
