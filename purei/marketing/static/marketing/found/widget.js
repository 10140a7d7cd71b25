/* Pūrei's product widget for a member's own website (docs/marketing.md).
 *
 *   <div data-purei-products="https://…/c/<cluster>/members/<member>/embed.json">
 *     <a href="https://…/c/<cluster>/members/<member>/">Our products</a>
 *   </div>
 *   <script src="https://…/static/marketing/found/widget.js" defer></script>
 *
 * Fetches the JSON (no cookies) and puts a list of the products in place of the
 * element's content. Built with DOM methods only: no innerHTML, no eval, no inline
 * style, so it runs under a strict Content-Security-Policy (script-src, connect-src
 * and img-src allowing Pūrei's host). If anything fails, the link already in the
 * element stays. Style it with the classes purei-products, purei-product,
 * purei-product__title, purei-product__price and purei-products__more.
 */
(function () {
  "use strict";

  function isWebAddress(value) {
    return typeof value === "string" && /^https?:\/\//.test(value);
  }

  function text(tag, className, value) {
    var node = document.createElement(tag);
    node.className = className;
    node.textContent = value;
    return node;
  }

  // A link to Pūrei, opening in a new tab; its name says so (no hidden text
  // needs styling on the member's page).
  function link(href, name, labels) {
    var a = document.createElement("a");
    a.href = href;
    a.target = "_blank";
    a.rel = "noopener";
    if (labels.new_tab) {
      a.setAttribute("aria-label", name + " " + labels.new_tab);
    }
    return a;
  }

  function render(element, data) {
    var labels = data.labels || {};
    var list = document.createElement("ul");
    list.className = "purei-products";
    (data.products || []).forEach(function (product) {
      if (!isWebAddress(product.url)) {
        return;
      }
      var item = document.createElement("li");
      item.className = "purei-product";
      var price = "";
      if (product.price) {
        price = product.from ? (labels.from || "from") + " " + product.price : product.price;
      }
      var a = link(product.url, [product.title || "", price].join(" ").trim(), labels);
      if (product.image && isWebAddress(product.image.src)) {
        var img = document.createElement("img");
        img.src = product.image.src;
        img.alt = "";
        img.loading = "lazy";
        if (product.image.width && product.image.height) {
          img.width = product.image.width;
          img.height = product.image.height;
        }
        a.appendChild(img);
      }
      a.appendChild(text("span", "purei-product__title", product.title || ""));
      if (price) {
        a.appendChild(text("span", "purei-product__price", price));
      }
      item.appendChild(a);
      list.appendChild(item);
    });
    var parts = [list];
    if (data.more && isWebAddress(data.more.url)) {
      var more = document.createElement("p");
      more.className = "purei-products__more";
      var moreText = data.more.text || data.more.url;
      var moreLink = link(data.more.url, moreText, labels);
      moreLink.textContent = moreText;
      more.appendChild(moreLink);
      parts.push(more);
    }
    while (element.firstChild) {
      element.removeChild(element.firstChild);
    }
    parts.forEach(function (part) {
      element.appendChild(part);
    });
    element.setAttribute("data-purei-loaded", "");
  }

  function load(element) {
    var source = element.getAttribute("data-purei-products");
    if (!isWebAddress(source) || !window.fetch) {
      return;
    }
    window
      .fetch(source, { credentials: "omit", mode: "cors" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("Pūrei widget: " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        render(element, data);
      })
      .catch(function () {
        /* Keep the link that was there. */
      });
  }

  function start() {
    var elements = document.querySelectorAll("[data-purei-products]");
    Array.prototype.forEach.call(elements, load);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
