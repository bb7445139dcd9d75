// Starts Swagger UI (/docs) or ReDoc (/redoc) from the bundles the app serves itself:
// a file, not an inline script, so the pages' Content-Security-Policy holds.
document.addEventListener("DOMContentLoaded", () => {
  const swagger = document.getElementById("swagger-ui");
  if (swagger && window.SwaggerUIBundle) {
    window.ui = window.SwaggerUIBundle({
      url: swagger.dataset.spec,
      dom_id: "#swagger-ui",
      deepLinking: true,
      presets: [window.SwaggerUIBundle.presets.apis, window.SwaggerUIBundle.SwaggerUIStandalonePreset],
      layout: "BaseLayout",
      validatorUrl: null, // no badge fetched from another site
    });
  }
  const redoc = document.getElementById("redoc");
  // ReDoc's styles go into <style> elements: the nonce the page's policy admits.
  if (redoc && window.Redoc) window.Redoc.init(redoc.dataset.spec, { nonce: redoc.dataset.nonce, disableSearch: true }, redoc);
});
