package dev.forge.api.docs;

import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;

/** The problem+json body every error answer carries ({@link dev.forge.api.problems.Problem}). */
final class ProblemSchemas {

  static final String PROBLEM = "Problem";
  static final String FIELD_ERROR = "FieldError";
  static final String MEDIA_TYPE = "application/problem+json";

  private ProblemSchemas() {}

  static Schema<?> problem() {
    return new ObjectSchema().description("RFC 9457 problem details")
        .addProperty("type", new StringSchema().description("a URI naming the kind of problem"))
        .addProperty("title", new StringSchema())
        .addProperty("status", new IntegerSchema())
        .addProperty("detail", new StringSchema().description("what went wrong and what to do"))
        .addProperty("instance", new StringSchema().description("the request path"))
        .addProperty("errors", new ArraySchema().items(new Schema<>().$ref("#/components/schemas/" + FIELD_ERROR))
            .description("400 and 413: every field that broke a rule"))
        .addProperty("confirmation", new StringSchema().description("428: the id to send in Forge-Confirmation"))
        .addProperty("expiresAt", new StringSchema().description("428: when the confirmation expires"))
        .addProperty("action", new StringSchema().description("428: what will be done once confirmed"));
  }

  static Schema<?> fieldError() {
    return new ObjectSchema()
        .addProperty("field", new StringSchema())
        .addProperty("rule", new StringSchema().description("e.g. required, format, range, secret, max_size"))
        .addProperty("message", new StringSchema());
  }

  static ApiResponse response(String description) {
    return new ApiResponse().description(description).content(new Content().addMediaType(MEDIA_TYPE,
        new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))));
  }
}
