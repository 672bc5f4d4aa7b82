// Main thread: forward the canvas's camera gestures (pointer, wheel, the Control key) to the
// render worker, where OrbitControls replays them on a stand-in element (element-proxy.js).
// What the page must decide at once (no scrolling the page on wheel, no context menu on the
// view) is decided here; picking is asked for separately (interaction.js).

const POINTER_FIELDS = [
  "pointerId",
  "pointerType",
  "button",
  "buttons",
  "clientX",
  "clientY",
  "pageX",
  "pageY",
  "ctrlKey",
  "metaKey",
  "shiftKey",
  "altKey",
];
const WHEEL_FIELDS = [
  "deltaX",
  "deltaY",
  "deltaMode",
  "clientX",
  "clientY",
  "ctrlKey",
  "metaKey",
  "shiftKey",
];
const KEY_FIELDS = ["key", "code", "ctrlKey", "metaKey", "shiftKey", "altKey"];

/** The plain properties of `event` that the worker needs (events cannot be posted). */
export function copyEvent(event, fields) {
  const copy = { type: event.type };
  for (const field of fields) copy[field] = event[field];
  return copy;
}

/**
 * Forward `canvas`'s gestures with `send(fields, target)` (target: "element" or "document").
 * @returns {() => void} stops forwarding
 */
export function forwardEvents(canvas, send) {
  const listeners = [];
  const listen = (target, type, handler, options) => {
    target.addEventListener(type, handler, options);
    listeners.push(() => target.removeEventListener(type, handler, options));
  };
  listen(canvas, "pointerdown", (event) => {
    canvas.setPointerCapture?.(event.pointerId); // the drag goes on outside the view
    send(copyEvent(event, POINTER_FIELDS), "element");
  });
  // OrbitControls follows a drag on its document; the capture above brings it to the canvas.
  listen(canvas, "pointermove", (event) => {
    if (event.buttons) send(copyEvent(event, POINTER_FIELDS), "document"); // hover needs none
  });
  listen(canvas, "pointerup", (event) => send(copyEvent(event, POINTER_FIELDS), "document"));
  listen(canvas, "pointercancel", (event) => send(copyEvent(event, POINTER_FIELDS), "element"));
  listen(
    canvas,
    "wheel",
    (event) => {
      event.preventDefault(); // zoom the view, not the page
      send(copyEvent(event, WHEEL_FIELDS), "element");
    },
    { passive: false },
  );
  listen(canvas, "contextmenu", (event) => event.preventDefault()); // right-drag pans
  // Control held turns a trackpad pinch (wheel + ctrlKey) into zoom.
  for (const type of ["keydown", "keyup"]) {
    listen(window, type, (event) => {
      if (event.key === "Control") send(copyEvent(event, KEY_FIELDS), "document");
    });
  }
  return () => {
    for (const stop of listeners) stop();
  };
}
