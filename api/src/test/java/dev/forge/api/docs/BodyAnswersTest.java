package dev.forge.api.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.forge.api.identity.ApiUser;
import dev.forge.api.identity.Role;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.FilterType;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.method.annotation.AuthenticationPrincipalArgumentResolver;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.databind.JsonNode;

/**
 * Request bodies through Spring MVC's own reading (the JSON converter, the body records, the
 * problem handler): a body with unknown fields, wrong types, duplicate keys or no JSON at all is
 * answered with the problem body the handlers gave when they read maps.
 */
@SpringBootTest(classes = BodyAnswersTest.Controllers.class,
    webEnvironment = SpringBootTest.WebEnvironment.MOCK)
class BodyAnswersTest extends ControllerMocks {

  /** The controllers but the webhook's, the problem handler, and the caller from the context. */
  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration({
      org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration.class,
      org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration.class,
      org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration.class})
  @ComponentScan(basePackages = "dev.forge.api", useDefaultFilters = false,
      includeFilters = {@ComponentScan.Filter(RestController.class),
          @ComponentScan.Filter(RestControllerAdvice.class)},
      excludeFilters = @ComponentScan.Filter(type = FilterType.REGEX,
          pattern = "dev\\.forge\\.api\\.webhooks\\..*"))
  static class Controllers implements WebMvcConfigurer {
    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
      resolvers.add(new AuthenticationPrincipalArgumentResolver());
    }

    @org.springframework.context.annotation.Bean
    org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer strict() {
      return dev.forge.api.problems.DuplicateKeys::strict;
    }
  }


  @BeforeEach
  void signIn() {
    SecurityContextHolder.getContext().setAuthentication(new TestingAuthenticationToken(
        new ApiUser("lead", Set.of(Role.APPROVER, Role.ADMIN), List.of()), null));
  }

  @AfterEach
  void signOut() {
    SecurityContextHolder.clearContext();
  }

  private JsonNode answer(String path, String body, int status) throws Exception {
    MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
    var request = post(path).contentType(MediaType.APPLICATION_JSON);
    MockHttpServletResponse response = mvc.perform(body == null ? request : request.content(body))
        .andReturn().getResponse();
    assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(status);
    assertThat(response.getContentType()).startsWith("application/problem+json");
    return json.readTree(response.getContentAsString());
  }

  private static List<String> errors(JsonNode problem) {
    List<String> errors = new java.util.ArrayList<>();
    problem.path("errors").forEach(e -> errors.add(e.path("field").asString() + " "
        + e.path("rule").asString() + ": " + e.path("message").asString()));
    return errors;
  }

  @Test
  void shouldReportUnknownFieldsWithEveryOtherProblemOfTheBody() throws Exception {
    JsonNode problem = answer("/api/loops/loop-abc123def4/cost-cap",
        "{\"zz\":1,\"costCapUsd\":true,\"reason\":7,\"aa\":null}", 400);

    assertThat(errors(problem)).containsExactly(
        "aa unknown: is not a known field; allowed: costCapUsd, reason",
        "zz unknown: is not a known field; allowed: costCapUsd, reason",
        "costCapUsd format: must be an amount in US dollars with at most 6 decimal places, e.g. \"5.00\"",
        "reason type: must be a string");
  }

  @Test
  void shouldAnswerAMissingBodyAsAnEmptyOne() throws Exception {
    assertThat(errors(answer("/api/loops/loop-abc123def4/rollback", null, 400))).containsExactly(
        "checkpoint required: the full sha of one of the loop's checkpoints (GET /api/loops/{id} lists them)");
    assertThat(errors(answer("/api/totp/enrolments", "null", 400))).containsExactly(
        "user required: must name the user to enrol, e.g. lead");
  }

  @Test
  void shouldAnswerWhatIsNotAJsonObjectAsASyntaxError() throws Exception {
    for (String body : List.of("[1]", "\"x\"", "5", "{\"user\":", "{user: 1}", "\"\"")) {
      assertThat(errors(answer("/api/totp/enrolments", body, 400))).as(body).containsExactly(
          "body syntax: the request body must be a JSON object; it is missing or not valid JSON");
    }
  }

  @Test
  void shouldNameADuplicateKeyByItsPath() throws Exception {
    assertThat(errors(answer("/api/loops",
        "{\"repository\":\"/r\",\"config\":{\"loop\":{\"max_iterations\":1,\"max_iterations\":2}}}", 400)))
        .containsExactly("config.loop.max_iterations duplicate: is given more than once in the"
            + " same JSON object; give each key once");
  }

  @Test
  void shouldCheckTheGateBeforeItsBody() throws Exception {
    assertThat(errors(answer("/api/loops/loop-abc123def4/gates/Bad-Gate/approve", "{\"x\":1}", 400)))
        .containsExactly("gate format: must be a gate name like production_deploy");
    assertThat(errors(answer("/api/loops/loop-abc123def4/gates/deploy/approve",
        "{\"x\":1,\"checkpointSha\":null}", 400))).containsExactly(
        "x unknown: is not a known field; allowed: comment, checkpointSha, backupRef, rollbackPlan, totp");
  }
}
