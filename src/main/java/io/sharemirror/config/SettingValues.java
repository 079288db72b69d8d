package io.sharemirror.config;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.NodeTuple;

/** The values of a list of settings as one mapping of the file sets them, with what it does not set inherited. */
final class SettingValues {

    private final Map<Setting<?>, Object> values;
    private final Set<Setting<?>> wrong;

    private SettingValues(Map<Setting<?>, Object> values, Set<Setting<?>> wrong) {
        this.values = values;
        this.wrong = wrong;
    }

    /** Every setting at its default. */
    static SettingValues defaults(List<Setting<?>> settings) {
        Map<Setting<?>, Object> values = new HashMap<>();
        settings.forEach(s -> values.put(s, s.fallback()));
        return new SettingValues(values, Set.of());
    }

    /**
     * Reads each of {@code settings} from {@code keys}, the mapping at {@code path}, in the order given; a setting the
     * mapping leaves out, or sets wrongly (which is reported), keeps its value in {@code inherited}.
     */
    static SettingValues read(NodeReader nodes, List<Setting<?>> settings, Map<String, NodeTuple> keys, String path,
                              SettingValues inherited) {
        Map<Setting<?>, Object> values = new HashMap<>(inherited.values);
        Set<Setting<?>> wrong = new HashSet<>();
        for (Setting<?> s : settings) {
            readInto(values, wrong, s, nodes, keys, path, inherited);
        }
        return new SettingValues(values, wrong);
    }

    private static <T> void readInto(Map<Setting<?>, Object> values, Set<Setting<?>> wrong, Setting<T> setting,
                                     NodeReader nodes, Map<String, NodeTuple> keys, String path,
                                     SettingValues inherited) {
        T own = setting.read(nodes, keys, path);
        if (own != null) {
            values.put(setting, setting.inherit().apply(inherited.get(setting), own));
        } else if (keys.containsKey(setting.key())) {
            wrong.add(setting);
        }
    }

    @SuppressWarnings("unchecked") // each value was put under its own setting
    <T> T get(Setting<T> setting) {
        return (T) values.get(setting);
    }

    /** Whether the file set this setting, and wrongly. */
    boolean wrong(Setting<?> setting) {
        return wrong.contains(setting);
    }

    /** Whether every setting read is usable. */
    boolean allRight() {
        return wrong.isEmpty();
    }
}
