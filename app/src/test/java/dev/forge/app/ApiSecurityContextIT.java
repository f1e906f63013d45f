package dev.forge.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.springframework.test.context.TestPropertySource;

/**
 * The application with limits small enough to reach in a test, and 127.0.0.1 as the one trusted
 * proxy (so a test can be a proxy that forwards TLS, and every other loopback address an ordinary
 * client). Each test that floods or fails on purpose does so from a loopback address of its own.
 */
@TestPropertySource(properties = {
    "forge.api.rate-limit.token-requests=60",
    "forge.api.rate-limit.address-requests=200",
    "forge.api.rate-limit.period=1m",
    "forge.api.lockout.max-failures=5",
    "forge.api.lockout.window=1m",
    "forge.api.lockout.duration=1m",
    "forge.api.admin.confirmation-ttl=5s",
    "server.forward-headers-strategy=native",
    "server.tomcat.remoteip.internal-proxies=127\\\\.0\\\\.0\\\\.1"
})
abstract class ApiSecurityContextIT extends ForgeIT {

  /** Nothing internal in an answer: no stack trace, class, package or server name. */
  static final List<String> INTERNALS = List.of("Exception", "exception", "dev.forge", "org.spring",
      "springframework", "Tomcat", "tomcat", "jakarta.", "java.", "\tat ", "Caused by");

  RawHttp from(String address) {
    return new RawHttp(port, address);
  }

  /**
   * Creates a token as the configured admin, confirming with the second request: the token.
   */
  String createToken(String name, List<String> roles, List<String> groups) {
    RawHttp admin = from("127.0.0.1");
    String body = json(Map.of("name", name, "roles", roles, "groups", groups, "expiresIn", "1d"));
    RawHttp.Response first = admin.post("/api/tokens", token("admin"), body);
    assertThat(first.status()).as(first.body()).isEqualTo(428);
    String confirmation = first.json().get("confirmation").asText();
    RawHttp.Response second = admin.send("POST", "/api/tokens", token("admin"),
        Map.of("Content-Type", "application/json", "Forge-Confirmation", confirmation), body);
    assertThat(second.status()).as(second.body()).isEqualTo(201);
    JsonNode created = second.json();
    assertThat(created.get("name").asText()).isEqualTo(name);
    return created.get("token").asText();
  }

  static String json(Object value) {
    try {
      return ForgeHttp.JSON.writeValueAsString(value);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
