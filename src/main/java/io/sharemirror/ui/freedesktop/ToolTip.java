package io.sharemirror.ui.freedesktop;

import java.util.List;
import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.annotations.Position;

/** StatusNotifierItem's ToolTip property, (sa(iiay)ss): icon name, icon pixmaps, title, description. */
public final class ToolTip extends Struct {
    @Position(0)
    public final String iconName;
    @Position(1)
    public final List<IconPixmap> iconPixmap;
    @Position(2)
    public final String title;
    @Position(3)
    public final String description;

    ToolTip(String title, String description) {
        this.iconName = "";
        this.iconPixmap = List.of();
        this.title = title;
        this.description = description;
    }
}
