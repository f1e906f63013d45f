package dev.forge.api.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAPI document springdoc builds from the controllers, without the rest of the
 * application: every operation that takes a body describes it from the handler's body record,
 * with its required fields and no other fields allowed. (ApiDocsIT checks the served document of
 * the whole application.)
 */
@SpringBootTest(classes = OpenApiDocumentTest.Controllers.class,
    webEnvironment = SpringBootTest.WebEnvironment.MOCK)
class OpenApiDocumentTest extends ControllerMocks {

  /** The controllers but the webhook's (which reads its raw body), and the document's config. */
  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration({
      org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration.class,
      org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration.class,
      org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration.class,
      org.springdoc.core.properties.SpringDocConfigProperties.class,
      org.springdoc.core.configuration.SpringDocConfiguration.class,
      org.springdoc.core.configuration.SpringDocSecurityConfiguration.class,
      org.springdoc.webmvc.core.configuration.SpringDocWebMvcConfiguration.class})
  @ComponentScan(basePackages = "dev.forge.api", useDefaultFilters = false,
      includeFilters = @ComponentScan.Filter(RestController.class),
      excludeFilters = @ComponentScan.Filter(type = FilterType.REGEX,
          pattern = "dev\\.forge\\.api\\.(webhooks|problems)\\..*"))
  @Import(ApiDocsConfiguration.class)
  static class Controllers {}


  private static final Map<String, List<String>> REQUIRED = Map.of(
      "POST /api/loops", List.of("repository"),
      "POST /api/loops/*/gates/*/approve", List.of("checkpointSha"),
      "POST /api/loops/*/gates/*/reject", List.of(),
      "POST /api/loops/*/rollback", List.of("checkpoint"),
      "POST /api/loops/*/cost-cap", List.of("costCapUsd"),
      "POST /api/tokens", List.of("name", "roles"),
      "POST /api/totp/enrolments", List.of("user"));

  @Test
  void shouldDescribeEveryRequestBodyFromItsRecord() throws Exception {
    MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
    String text = mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders
        .get("/v3/api-docs")).andReturn().getResponse().getContentAsString();
    JsonNode doc = json.readTree(text);
    Map<String, JsonNode> operations = new HashMap<>();
    doc.path("paths").forEach(item -> item.forEach(operation -> {
      if (operation.has("x-forge-endpoint")) {
        operations.put(operation.get("x-forge-endpoint").asString(), operation);
      }
    }));

    operations.forEach((row, operation) -> assertThat(operation.has("requestBody"))
        .as("%s has a body exactly when it is listed here", row)
        .isEqualTo(REQUIRED.containsKey(row)));
    REQUIRED.forEach((row, required) -> {
      JsonNode schema = operations.get(row).at("/requestBody/content/application~1json/schema");
      String ref = schema.path("$ref").asString();
      JsonNode body = ref.isEmpty() ? schema : doc.at(ref.substring(1));
      List<String> listed = new ArrayList<>();
      body.path("required").forEach(field -> listed.add(field.asString()));
      assertThat(listed).as("required fields of %s in %s", row, body)
          .containsExactlyInAnyOrderElementsOf(required);
      assertThat(body.path("properties").size()).as("%s", body).isPositive();
      assertThat(body.path("properties").has("unknownFields")).as("%s", body).isFalse();
      assertThat(body.path("additionalProperties").asBoolean(true)).as("%s", body).isFalse();
    });
    assertThat(operations.get("GET /api/loops").path("parameters").toString()).contains("startedBy");
    List<String> gateParameters = new ArrayList<>();
    operations.get("GET /api/gates").path("parameters")
        .forEach(p -> gateParameters.add(p.path("name").asString()));
    assertThat(gateParameters).containsExactly("state");
    JsonNode schemas = doc.path("components").path("schemas");
    assertThat(schemas.at("/StartLoopBody/properties/config/type").asString()).isEqualTo("object");
    assertThat(schemas.at("/NewTokenBody/properties/roles/type").asString())
        .as("%s", schemas.path("NewTokenBody")).isEqualTo("array");
    assertThat(schemas.at("/NewTokenBody/properties/roles/items/type").asString()).isEqualTo("string");
    assertThat(schemas.at("/NewTokenBody/properties/groups/items/type").asString()).isEqualTo("string");
    assertThat(text).as("no internal names").doesNotContain("dev.forge", "Exception");
  }
}
