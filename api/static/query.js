// The query page: YASGUI (bundled in /static/yasgui, so it works offline) posting to
// this service's SPARQL endpoint. Nothing is kept between visits (no persistence), and
// only the autocompleters that need no network are on.
(function () {
  "use strict";
  var element = document.getElementById("yasgui");
  var endpoint = new URL(element.dataset.endpoint, window.location.href).href;
  var yasgui = new Yasgui(element, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    persistenceId: null,
    yasqe: { value: element.dataset.query, autocompleters: ["prefixes", "variables"] },
  });
  window.govkgYasgui = yasgui;
})();
