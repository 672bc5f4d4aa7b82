// Offline after the first visit: registers the service worker (sw.js, at the site's root)
// once the page is ready, so that its download of the release never competes with the boot.

/** Register the service worker after ``ready`` resolves (nothing when the browser has none). */
export function keepOffline(ready) {
  if (!("serviceWorker" in navigator)) return;
  const script = new URL("../sw.js", import.meta.url);
  ready.then(
    () => navigator.serviceWorker.register(script).catch(() => {}), // the page works without
    () => {},
  );
}
