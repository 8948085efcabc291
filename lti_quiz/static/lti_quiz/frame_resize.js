// Tells the LMS that frames this page how tall the page is, so that it can size its iframe to
// fit and only the LMS page scrolls, not a frame inside it as well. The message is Canvas's
// `lti.frameResize` (Canvas's Window.postMessage API; 1EdTech's LTI Client Side postMessages
// lists it too), sent as a JSON string: Canvas takes a string or an object, and listeners
// written for older platforms only parse strings. Sent on load and whenever the page's height
// changes, at most once an animation frame, and only when the height is new. See
// docs/platforms.md, "Frame height".
(function () {
  "use strict";
  if (window.parent === window) return; // not framed: nobody to tell
  var root = document.documentElement;
  var sent = -1;
  var scheduled = false;

  function send() {
    scheduled = false;
    // The content's height, not scrollHeight: scrollHeight is never less than the frame's own
    // height, so a frame made taller once could never shrink back.
    var height = Math.ceil(root.getBoundingClientRect().height);
    if (height === sent) return;
    sent = height;
    // Any origin may receive it: the message carries a height and nothing else, and the
    // framing LMS's origin is not known to the page (a Canvas school frames from its own domain).
    window.parent.postMessage(JSON.stringify({ subject: "lti.frameResize", height: height }), "*");
  }

  function schedule() {
    if (scheduled) return;
    scheduled = true;
    window.requestAnimationFrame(send);
  }

  if (typeof window.ResizeObserver === "function") {
    new window.ResizeObserver(schedule).observe(root);
  }
  window.addEventListener("load", schedule);
  schedule();
})();
