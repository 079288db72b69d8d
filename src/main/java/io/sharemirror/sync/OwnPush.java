package io.sharemirror.sync;

/**
 * The reader's own newest push of a key that its cursor has not passed: normally there is none, a node's cursor moves
 * past its own push. After a crash between a push's commit and the clearing of its pending rows there is, and it
 * tells which pending version is on the hub already.
 *
 * @param ts the pushed version's change time
 * @param deleted whether the push deleted the key, so that the node's row left the hub
 */
public record OwnPush(long ts, boolean deleted) {
}
