package io.sharemirror.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JDBC driver's config lookup: the first source that is set wins, even when its file is missing. */
class ConfigLocationTest {

    private static ConfigLocation find(String option, Map<String, String> properties, Map<String, String> environment) {
        return ConfigLocation.find(option, "the config= option", properties::get, environment::get);
    }

    @Test
    void optionThenPropertyThenVariableThenTheAgentsDefault() {
        Map<String, String> property = Map.of(ConfigLocation.PROPERTY, "/p.yaml");
        Map<String, String> variable = Map.of(ConfigLocation.VARIABLE, "/v.yaml");
        assertEquals(new ConfigLocation(Path.of("/o.yaml"), "the config= option"), find("/o.yaml", property, variable));
        assertEquals(new ConfigLocation(Path.of("/p.yaml"), "the sharemirror.config system property"),
                find(null, property, variable));
        assertEquals(new ConfigLocation(Path.of("/v.yaml"), "the SHAREMIRROR_CONFIG environment variable"),
                find("  ", Map.of(), variable));
        assertEquals(ConfigLocation.DEFAULT_FILE, find(null, Map.of(ConfigLocation.PROPERTY, ""), Map.of()).file());
    }
}
