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
