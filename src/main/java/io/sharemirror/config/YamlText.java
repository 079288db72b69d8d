package io.sharemirror.config;

import java.io.StringReader;
import java.util.Optional;
import org.yaml.snakeyaml.DumperOptions.FlowStyle;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A YAML document's text with the node tree SnakeYAML composes from it, for edits made by splicing the text: what an
 * edit does not touch stays byte for byte, comments and blank lines included. Offsets are {@code char} indexes into
 * {@link #text()}; SnakeYAML's marks count code points, and a byte order mark is kept aside.
 */
final class YamlText {

    private static final String BOM = "\uFEFF";

    private final String bom;
    private final String text;
    private final Node root;

    private YamlText(String bom, String text, Node root) {
        this.bom = bom;
        this.text = text;
        this.root = root;
    }

    /** Composes {@code document}, which {@link ConfigLoader} has accepted: nothing here reports problems. */
    static YamlText of(String document) {
        boolean marked = document.startsWith(BOM);
        String body = marked ? document.substring(1) : document;
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(20);
        options.setCodePointLimit(ConfigLoader.MAX_SIZE);
        return new YamlText(marked ? BOM : "", body, new Yaml(options).compose(new StringReader(body)));
    }

    String text() {
        return text;
    }

    /** The document with {@code [from, to)} replaced, the byte order mark (if any) back in front. */
    String splice(int from, int to, String with) {
        return bom + text.substring(0, from) + with + text.substring(to);
    }

    Optional<MappingNode> rootMapping() {
        return root instanceof MappingNode m ? Optional.of(m) : Optional.empty();
    }

    static Optional<NodeTuple> entry(MappingNode m, String key) {
        return m.getValue().stream().filter(t -> t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key))
                .findFirst();
    }

    static Optional<String> scalar(MappingNode m, String key) {
        return entry(m, key).map(NodeTuple::getValueNode).filter(v -> v instanceof ScalarNode && !isNull(v))
                .map(v -> ((ScalarNode) v).getValue().strip());
    }

    static boolean isNull(Node n) {
        return Tag.NULL.equals(n.getTag());
    }

    int start(Node n) {
        return offset(n.getStartMark());
    }

    int end(Node n) {
        return offset(n.getEndMark());
    }

    private int offset(Mark mark) {
        return text.offsetByCodePoints(0, Math.min(mark.getIndex(), text.codePointCount(0, text.length())));
    }

    /** Where the line holding {@code offset} starts. */
    int lineStart(int offset) {
        return text.lastIndexOf('\n', offset - 1) + 1;
    }

    /** Just after the line break ending the line that holds {@code offset} (or the end of the text). */
    int nextLine(int offset) {
        int lf = text.indexOf('\n', offset);
        return lf < 0 ? text.length() : lf + 1;
    }

    /** The column of {@code offset} in its line, in chars. */
    int column(int offset) {
        return offset - lineStart(offset);
    }

    /**
     * Where a block that ends at {@code end} really ends: after its last line, and after the comment lines that
     * follow it indented deeper than {@code parentColumn} (they belong to it), but before blank lines.
     */
    int blockEnd(int end, int parentColumn) {
        int lineEnd = nextLine(Math.max(end - 1, 0));
        int kept = lineEnd;
        for (int at = lineEnd; at < text.length(); at = nextLine(at)) {
            String line = text.substring(at, nextLine(at)).stripTrailing();
            if (line.isBlank()) {
                continue;
            }
            int indent = line.length() - line.stripLeading().length();
            if (!line.stripLeading().startsWith("#") || indent <= parentColumn) {
                break;
            }
            kept = nextLine(at);
        }
        return kept;
    }

    /** Whether the text ends with a line break (or is empty), so a line can be added after it. */
    boolean endsWithLineBreak() {
        return text.isEmpty() || text.endsWith("\n");
    }

    /** The file's own line break: new lines are written the way the others are. */
    String lineBreak() {
        return text.contains("\r\n") ? "\r\n" : "\n";
    }

    /**
     * Where a node's own text ends. A block collection's end mark is where the next token starts, which may be lines
     * later, past comments; its last value's end is where its text ends.
     */
    int contentEnd(Node n) {
        if (n instanceof MappingNode m && m.getFlowStyle() == FlowStyle.BLOCK && !m.getValue().isEmpty()) {
            NodeTuple last = m.getValue().get(m.getValue().size() - 1);
            return isNull(last.getValueNode()) ? afterColon(last.getKeyNode()) : contentEnd(last.getValueNode());
        }
        if (n instanceof SequenceNode s && s.getFlowStyle() == FlowStyle.BLOCK && !s.getValue().isEmpty()) {
            return contentEnd(s.getValue().get(s.getValue().size() - 1));
        }
        return end(n);
    }

    /** The column of the {@code -} in front of a block sequence item. */
    int dashColumn(Node item) {
        return column(dash(item));
    }

    /** Where the {@code -} in front of a block sequence item is. */
    int dash(Node item) {
        return text.lastIndexOf('-', start(item));
    }

    /** Just after the {@code :} that follows a mapping key. */
    int afterColon(Node key) {
        return text.indexOf(':', end(key)) + 1;
    }
}
