// EdgeDesk widget loader (served as /widget.js). Registers <edgedesk-widget>, draws a launcher
// in a shadow root and loads the widget's wasm only when it is first opened. `__NAME__`s are
// filled in by `cargo xtask build` (hashed asset paths, launcher texts from widget.ftl).
(() => {
  if (customElements.get("edgedesk-widget")) return;
  const script = document.currentScript;
  const base = new URL(script ? script.src : location.href).origin;
  const GLUE = "__GLUE__", WASM = "__WASM__";
  const TEXTS = __TEXTS__;
  let loading;
  const load = () =>
    (loading ||= import(base + GLUE).then((m) => m.default({ module_or_path: base + WASM }).then(() => m)));
  const CSS = `__CSS__`;
  const make = (tag, cls, parent) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    parent && parent.append(e);
    return e;
  };

  class EdgeDeskWidget extends HTMLElement {
    static observedAttributes = ["theme-accent", "theme-radius", "theme-font", "theme"];

    constructor() {
      super();
      this._shadow = this.attachShadow({ mode: "open" });
      this._prefill = {};
    }

    get locale() {
      const l = (this.getAttribute("locale") || navigator.language || "en").slice(0, 2).toLowerCase();
      return TEXTS[l] ? l : "en";
    }

    connectedCallback() {
      if (this._wrap) return;
      const texts = TEXTS[this.locale];
      make("style", "", this._shadow).textContent = CSS;
      const wrap = (this._wrap = make("div", "ed", this._shadow));
      wrap.dir = this.locale === "he" ? "rtl" : "ltr";
      const launcher = (this._launcher = make("button", "launcher", wrap));
      launcher.type = "button";
      launcher.textContent = texts[0];
      launcher.setAttribute("aria-expanded", "false");
      launcher.onclick = () => (this._panel.hidden ? this.open() : this.close());
      const panel = (this._panel = make("div", "panel", wrap));
      panel.hidden = true;
      panel.setAttribute("role", "dialog");
      panel.setAttribute("aria-label", texts[0]);
      const close = make("button", "close", panel);
      close.type = "button";
      close.textContent = "\u00d7";
      close.setAttribute("aria-label", texts[1]);
      close.onclick = () => this.close();
      this._body = make("div", "body", panel);
      panel.addEventListener("keydown", (e) => e.key === "Escape" && this.close());
      this._theme();
    }

    attributeChangedCallback() {
      this._theme();
    }

    _theme() {
      const wrap = this._wrap;
      if (!wrap) return;
      for (const [attr, prop] of [["theme-accent", "--ed-accent"], ["theme-radius", "--ed-radius"], ["theme-font", "--ed-font"]]) {
        const value = this.getAttribute(attr);
        value ? wrap.style.setProperty(prop, value) : wrap.style.removeProperty(prop);
      }
      wrap.classList.toggle("dark", this.getAttribute("theme") === "dark");
    }

    /// Prefills the form: {name, email, context: {customer_id: …}}. Call before opening.
    prefill(values) {
      this._prefill = { ...this._prefill, ...values };
    }

    open() {
      this._panel.hidden = false;
      this._launcher.setAttribute("aria-expanded", "true");
      this._emit("edgedesk:open", {});
      if (this._mounted) return;
      this._mounted = true;
      this._body.textContent = "\u2026";
      const p = this._prefill;
      const options = {
        base,
        org: this.getAttribute("org") || "",
        item: this.getAttribute("catalog-item") || null,
        locale: this.locale,
        name: p.name || this.getAttribute("prefill-name") || "",
        email: p.email || this.getAttribute("prefill-email") || "",
        context: p.context || {},
        page_url: location.href,
      };
      load()
        .then((m) => m.mount(this._body, JSON.stringify(options), (reference, id) => this._emit("edgedesk:submitted", { reference, id })))
        .catch(() => {
          this._mounted = false;
          this._body.textContent = TEXTS[this.locale][2];
        });
    }

    close() {
      this._panel.hidden = true;
      this._launcher.setAttribute("aria-expanded", "false");
      this._launcher.focus();
      this._emit("edgedesk:close", {});
    }

    _emit(name, detail) {
      this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
    }
  }
  customElements.define("edgedesk-widget", EdgeDeskWidget);
})();
