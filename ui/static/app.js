// Clicking an answer's [n] marker brings its passage into view in the evidence panel.
document.addEventListener("click", function (event) {
  var link = event.target && event.target.closest && event.target.closest("a.rag-cite");
  if (!link) return;
  event.preventDefault();
  event.stopPropagation();
  var target = document.getElementById((link.getAttribute("href") || "").slice(1));
  if (!target) return;
  target.scrollIntoView({ behavior: "smooth", block: "center" });
  target.classList.remove("rag-flash");
  void target.offsetWidth;
  target.classList.add("rag-flash");
  setTimeout(function () { target.classList.remove("rag-flash"); }, 2000);
}, true);

// "On the timeline" under a when-answer: open the Timeline tab filtered on the name it asked about.
document.addEventListener("click", function (event) {
  var link = event.target && event.target.closest && event.target.closest("a.rag-tl-link");
  if (!link) return;
  event.preventDefault();
  event.stopPropagation();
  var tab = Array.prototype.find.call(document.querySelectorAll("button[role=tab]"), function (b) {
    return b.innerText.trim() === "Timeline";
  });
  if (tab) tab.click();
  // the tab's boxes may take a while to be drawn (a loaded machine): wait for them, up to 10 s
  var tries = 0;
  (function fill() {
    var box = document.querySelector("#rag-tl-query textarea, #rag-tl-query input");
    var show = document.querySelector("#rag-tl-show");
    if ((!box || !show) && tries++ < 100) { setTimeout(fill, 100); return; }
    var from = document.querySelector("#rag-tl-from textarea, #rag-tl-from input");
    var to = document.querySelector("#rag-tl-to textarea, #rag-tl-to input");
    [[box, decodeURIComponent((link.getAttribute("href") || "").split("#rag-tl:")[1] || "")], [from, ""], [to, ""]].forEach(function (pair) {
      if (!pair[0]) return;
      pair[0].value = pair[1];
      pair[0].dispatchEvent(new Event("input", { bubbles: true }));
    });
    if (show) setTimeout(function () { show.click(); }, 50);
  })();
}, true);
