package dev.forge.api.docs;

import dev.forge.api.ApiProperties;
import dev.forge.api.confirmations.AdminConfirmations;
import dev.forge.api.loops.LoopEventStreams;
import dev.forge.api.loops.LoopStarter;
import dev.forge.api.loops.Loops;
import dev.forge.api.policy.LoopPolicy;
import dev.forge.api.stepup.StepUp;
import dev.forge.api.tokens.ApiTokens;
import dev.forge.api.tokens.KnownNames;
import dev.forge.audit.AuditLog;
import dev.forge.audit.LoopIndex;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.web.context.WebApplicationContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the API's controllers depend on, mocked, for tests that load the controllers alone
 * ({@link BodyAnswersTest}, {@link OpenApiDocumentTest}): a request that reaches one of these is
 * past what those tests check.
 */
abstract class ControllerMocks {

  @MockitoBean Loops loops;
  @MockitoBean LoopStarter starter;
  @MockitoBean LoopEventStreams streams;
  @MockitoBean LoopIndex index;
  @MockitoBean AuditLog audit;
  @MockitoBean StepUp stepUp;
  @MockitoBean AdminConfirmations confirmations;
  @MockitoBean LoopPolicy policy;
  @MockitoBean ApiTokens tokens;
  @MockitoBean KnownNames names;
  @MockitoBean ApiProperties properties;

  @Autowired WebApplicationContext context;
  @Autowired JsonMapper json;
}
