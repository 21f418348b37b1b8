/**
 * The time-to-interactive floor, frame side: a blank page on the frame's origin that does the
 * same pinned penpal handshake as the real frame, then tells the host it is ready, and nothing
 * else (no API call, no render).
 */
import { connect } from "penpal";
import { PinnedWindowMessenger } from "../../contract/messenger.ts";

const q = new URLSearchParams(location.search);
const connection = connect<{ emit(event: unknown): Promise<void> }>({
  messenger: new PinnedWindowMessenger({ remoteWindow: window.parent, origin: q.get("parent")! }),
  methods: {},
  channel: q.get("channel")!,
});
const host = await connection.promise;
void host.emit({ type: "ready", payload: { screen: "marketplace" } });
