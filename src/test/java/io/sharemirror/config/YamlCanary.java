package io.sharemirror.config;

/**
 * A class a hostile config.yaml names in a tag. Loading it at all would mean SnakeYAML turned a tag into a Java type;
 * it says so in a system property, which the test reads without loading this class itself.
 */
public final class YamlCanary {

    static final String LOADED = "sharemirror.test.yamlCanaryLoaded";

    static {
        System.setProperty(LOADED, "true");
    }

    public YamlCanary() {
    }

    public YamlCanary(String ignored) {
    }
}
