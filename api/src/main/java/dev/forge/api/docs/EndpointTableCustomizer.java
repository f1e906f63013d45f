package dev.forge.api.docs;

import dev.forge.api.security.Endpoint;
import dev.forge.api.security.Endpoints;
import dev.forge.api.identity.Role;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springdoc.core.customizers.OpenApiCustomizer;

/**
 * Completes springdoc's document from {@link Endpoints#ALL}, the table authorization is built
 * from: each operation gets {@code x-forge-endpoint} (its row), {@code x-forge-roles}, the bearer
 * requirement (none for public rows), and the problem+json answers it can give. Request bodies
 * are described by springdoc from the body records the handlers take, query parameters from the
 * handlers' {@code @Parameter} annotations. An operation the table does not list (such as {@code
 * /error}) is left out, as the API refuses it; a row with no controller behind it (the health
 * check, the documentation itself) is added, so the document lists every row.
 */
final class EndpointTableCustomizer implements OpenApiCustomizer {

  static final String ENDPOINT = "x-forge-endpoint";
  static final String ROLES = "x-forge-roles";

  @Override
  public void customise(OpenAPI openApi) {
    Paths paths = openApi.getPaths() == null ? new Paths() : openApi.getPaths();
    Set<Endpoint> described = new HashSet<>();
    for (String path : new ArrayList<>(paths.keySet())) {
      PathItem item = paths.get(path);
      for (Map.Entry<PathItem.HttpMethod, Operation> entry : item.readOperationsMap().entrySet()) {
        Optional<Endpoint> row = Endpoints.find(entry.getKey().name(), path.replaceAll("\\{[^}]+}", "x"));
        if (row.isEmpty()) {
          item.operation(entry.getKey(), null);
        } else {
          describe(entry.getValue(), row.get(), path);
          described.add(row.get());
        }
      }
      if (item.readOperations().isEmpty()) {
        paths.remove(path);
      }
    }
    for (Endpoint row : Endpoints.ALL) {
      if (!described.contains(row)) {
        String path = documentedPath(row.pattern());
        Operation operation = new Operation().operationId(operationId(row));
        if (path.endsWith("/{path}")) {
          operation.addParametersItem(new Parameter().in("path").name("path").required(true)
              .schema(new StringSchema()).description("the rest of the path"));
        }
        describe(operation, row, path);
        paths.computeIfAbsent(path, p -> new PathItem())
            .operation(PathItem.HttpMethod.valueOf(row.method().name()), operation);
      }
    }
    openApi.setPaths(paths);
  }

  private static void describe(Operation operation, Endpoint row, String path) {
    List<String> roles = Arrays.stream(Role.values()).filter(row.roles()::contains)
        .map(Role::externalName).toList();
    operation.addExtension(ENDPOINT, row.method().name() + " " + row.pattern());
    operation.addExtension(ROLES, roles);
    if (operation.getSummary() == null) {
      operation.setSummary(row.what());
    }
    String who = row.isPublic() ? "Public: no token needed." : "Roles: " + row.roleNames() + "."
        + (row.note().isEmpty() ? "" : " " + capitalized(row.note()) + ".");
    operation.setDescription(operation.getDescription() == null ? who : who + "\n\n" + operation.getDescription());
    operation.setSecurity(row.isPublic() ? List.of()
        : List.of(new SecurityRequirement().addList(ApiDocsConfiguration.BEARER)));
    ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
    responses.remove("500");
    boolean hasInput = operation.getRequestBody() != null || operation.getParameters() != null;
    problem(responses, hasInput || path.contains("{"), "400", "a field or parameter breaks a rule; the problem names it");
    if (!row.isPublic()) {
      problem(responses, true, "401", "no token, or a malformed, unknown, expired or revoked one");
      problem(responses, true, "403", "the token lacks the role" + (row.note().isEmpty() ? "" : ", or " + row.note()));
    }
    problem(responses, path.contains("{") && !row.pattern().endsWith("/**"), "404", "no such loop, gate or token");
    problem(responses, row.method().name().equals("POST") && !row.pattern().equals("/api/tokens")
        && !row.pattern().equals("/api/totp/enrolments"), "409", "the loop, gate or token is not in a state that allows it");
    problem(responses, operation.getRequestBody() != null, "413", "the body is larger than forge.api.max-request-size");
    problem(responses, row.pattern().equals("/api/webhooks/*"), "422",
        "the text was flagged as steering and the source has on-suspicious-text: refuse");
    problem(responses, row.note().contains("confirmed"), "428",
        "confirm: send the same request again with header Forge-Confirmation: <confirmation>");
    problem(responses, true, "429", "rate limit or lockout; see Retry-After");
    operation.setResponses(responses);
  }

  private static void problem(ApiResponses responses, boolean when, String status, String description) {
    if (when && !responses.containsKey(status)) {
      responses.addApiResponse(status, ProblemSchemas.response(description));
    } else if (when) {
      ApiResponse existing = responses.get(status);
      existing.setContent(ProblemSchemas.response(description).getContent());
      if (existing.getDescription() == null || existing.getDescription().isBlank()) {
        existing.setDescription(description);
      }
    }
  }

  /** {@code /actuator/health/**} → {@code /actuator/health/{path}}; {@code *} → {@code {id}}. */
  static String documentedPath(String pattern) {
    String path = pattern.endsWith("/**") ? pattern.substring(0, pattern.length() - 3) + "/{path}" : pattern;
    return path.replace("/*/", "/{id}/").replaceAll("/\\*$", "/{id}");
  }

  private static String operationId(Endpoint row) {
    String id = row.method().name().toLowerCase(Locale.ROOT) + row.pattern()
        .replaceAll("[^A-Za-z0-9]+", "_");
    return id.endsWith("_") ? id.substring(0, id.length() - 1) : id;
  }

  private static String capitalized(String text) {
    return Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }
}
