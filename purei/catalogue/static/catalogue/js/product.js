/* The product page, a little better with JavaScript (everything works without it):
   - the gallery: a thumbnail scrolls the photos to its photo without moving the page,
     and marks itself aria-current while its photo is the one in view;
   - "view larger" opens the photo in a dialog (Escape or Close shuts it, and the
     focus goes back to the photo) instead of leaving the page for the image;
   - choosing an option shows its price and availability in the buy box. */
(function () {
  "use strict";
  var smooth = window.matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth";

  function gallery(root) {
    var viewport = root.querySelector(".product-gallery__viewport");
    var thumbs = Array.prototype.slice.call(root.querySelectorAll("[data-thumb]"));
    if (!viewport) return;
    function mark(id) {
      thumbs.forEach(function (thumb) {
        if (thumb.getAttribute("href") === "#" + id) thumb.setAttribute("aria-current", "true");
        else thumb.removeAttribute("aria-current");
      });
    }
    thumbs.forEach(function (thumb) {
      thumb.addEventListener("click", function (event) {
        var slide = document.getElementById(thumb.getAttribute("href").slice(1));
        if (!slide) return;
        event.preventDefault();
        viewport.scrollTo({ left: slide.offsetLeft, behavior: smooth });
        mark(slide.id);
      });
    });
    if (thumbs.length) {
      mark(thumbs[0].getAttribute("href").slice(1));
      if ("IntersectionObserver" in window) {
        var seen = new IntersectionObserver(function (entries) {
          entries.forEach(function (entry) {
            if (entry.isIntersecting) mark(entry.target.id);
          });
        }, { root: viewport, threshold: 0.6 });
        root.querySelectorAll(".product-gallery__slide").forEach(function (slide) { seen.observe(slide); });
      }
    }
    var dialog = root.querySelector("#lightbox");
    var body = dialog && dialog.querySelector("[data-lightbox-body]");
    if (!dialog || !body || typeof dialog.showModal !== "function") return;
    var opener = null;
    root.querySelectorAll("[data-zoom]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        var shown = link.querySelector("img");
        var image = document.createElement("img");
        image.src = link.getAttribute("href");
        image.alt = shown ? shown.alt : "";
        image.className = "lightbox__image";
        body.replaceChildren(image);
        event.preventDefault();
        opener = link;
        dialog.showModal();
      });
    });
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog) dialog.close();
    });
    dialog.addEventListener("close", function () {
      body.replaceChildren();
      if (opener) opener.focus();
    });
  }

  function options() {
    var select = document.getElementById("add-variant");
    var price = document.querySelector("[data-buy-price]");
    var stock = document.querySelector("[data-buy-stock]");
    var was = document.querySelector("[data-buy-was]");
    var wasAmount = document.querySelector("[data-buy-was-amount]");
    if (!select || !price) return;
    function show() {
      var option = select.options[select.selectedIndex];
      if (!option) return;
      price.textContent = option.getAttribute("data-price");
      if (was && wasAmount) {
        var before = option.getAttribute("data-was") || "";
        wasAmount.textContent = before;
        was.hidden = !before;
      }
      if (stock) stock.textContent = option.getAttribute("data-stock");
    }
    select.addEventListener("change", show);
    show();
  }

  document.querySelectorAll("[data-gallery]").forEach(gallery);
  options();
})();
