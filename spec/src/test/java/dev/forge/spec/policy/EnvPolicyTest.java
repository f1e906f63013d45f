package dev.forge.spec.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EnvPolicyTest {

  private static final List<EnvGrant> GRANTS = List.of(
      new EnvGrant(List.of("ANTHROPIC_API_KEY"), List.of(), List.of()),
      new EnvGrant(List.of("DEPLOY_TOKEN"), List.of("/srv/repos/shop/**"), List.of("alice")),
      new EnvGrant(List.of("NPM_TOKEN"), List.of("/srv/repos/web"), List.of()));

  @Test
  void shouldRefuseEveryVariableWhenNothingIsGranted() {
    assertThat(EnvPolicy.refused(List.of("ANTHROPIC_API_KEY", "HOME_TOKEN"), List.of(),
        "/srv/repos/a", "alice")).containsExactly("ANTHROPIC_API_KEY", "HOME_TOKEN");
  }

  @Test
  void shouldLetThroughAGrantForAnyRepositoryAndUser() {
    assertThat(EnvPolicy.refused(List.of("ANTHROPIC_API_KEY"), GRANTS, "/elsewhere", "bob")).isEmpty();
  }

  @Test
  void shouldScopeAGrantToItsRepositoriesAndUsers() {
    assertThat(EnvPolicy.refused(List.of("DEPLOY_TOKEN"), GRANTS, "/srv/repos/shop/api", "alice"))
        .isEmpty();
    assertThat(EnvPolicy.refused(List.of("DEPLOY_TOKEN"), GRANTS, "/srv/repos/shop/api", "bob"))
        .containsExactly("DEPLOY_TOKEN");
    // "/**" covers what is below the directory, not a sibling sharing its prefix or the directory
    assertThat(EnvPolicy.refused(List.of("DEPLOY_TOKEN"), GRANTS, "/srv/repos/shop-fake", "alice"))
        .containsExactly("DEPLOY_TOKEN");
    assertThat(EnvPolicy.refused(List.of("NPM_TOKEN"), GRANTS, "/srv/repos/web", "bob")).isEmpty();
    assertThat(EnvPolicy.refused(List.of("NPM_TOKEN"), GRANTS, "/srv/repos/web/sub", "bob"))
        .containsExactly("NPM_TOKEN");
    assertThat(EnvPolicy.refused(List.of("NPM_TOKEN"), GRANTS, null, "bob"))
        .containsExactly("NPM_TOKEN");
  }

  @Test
  void shouldNeverLetThroughForgesOwnSettingsWhateverAGrantSays() {
    List<EnvGrant> careless = List.of(new EnvGrant(List.of("SPRING_DATASOURCE_PASSWORD",
        "SPRING_FLYWAY_PASSWORD", "SPRING_APPLICATION_JSON", "FORGE_API_USERS_0_TOKEN_SHA256",
        "JAVA_TOOL_OPTIONS"), List.of(), List.of()));

    assertThat(EnvPolicy.refused(careless.get(0).env(), careless, "/r", "alice"))
        .containsExactlyElementsOf(careless.get(0).env());
  }
}
