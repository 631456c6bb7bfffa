// The API documentation at /api/v1/docs: Swagger UI from the npm package swagger-ui-dist, bundled here
// like the console (nothing from another host), reading the service's own /api/v1/openapi.json.
import SwaggerUI from "swagger-ui-dist/swagger-ui-es-bundle.js";
import "swagger-ui-dist/swagger-ui.css";
import "./docs.css";

SwaggerUI({
  url: "/api/v1/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: false, // deep links make each operation a link inside its toggle button, which axe refuses
  validatorUrl: null, // the default sends the document to a validator on another host
});
