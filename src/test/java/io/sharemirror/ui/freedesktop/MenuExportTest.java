package io.sharemirror.ui.freedesktop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sharemirror.ui.menu.MenuEntry;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MenuExportTest {

    private final MenuExport export = new MenuExport(null, Runnable::run, List::of, h -> new byte[0]);

    private Map<Integer, String> labels(List<Integer> ids) {
        return export.GetGroupProperties(ids, List.of()).stream().collect(Collectors.toMap(p -> p.id,
                p -> String.valueOf(p.properties.getOrDefault("label", p.properties.get("children-display"))
                        .getValue())));
    }

    @Test
    void theRootAnswersAsTheSubmenuItIs() {
        export.replace(List.of(new MenuEntry.Action("sync", "Force Sync", () -> { }),
                new MenuEntry.Submenu("pause", "Pause Sync", List.of(new MenuEntry.Action("hour", "For an Hour",
                        () -> { })))));
        assertEquals(Map.of(0, "submenu", 1, "Force Sync", 2, "Pause Sync", 3, "For an Hour"),
                labels(List.of(0, 1, 2, 3, 99)));
        assertEquals(Map.of("children-display", "submenu"), export.GetGroupProperties(List.of(0),
                List.of("children-display")).get(0).properties.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().getValue())));
    }
}
