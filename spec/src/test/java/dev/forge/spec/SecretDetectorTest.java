package dev.forge.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SecretDetectorTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "sk-ant-api03-Zq8vR2xT7mK4pL9wN3bY6cF1dH5jG0sA-uE8iO2rT4yU6",
      "sk-proj-4fG7hJ2kL9mN3pQ6rS8tV1wX5yZ0aB",
      "ANTHROPIC_API_KEY=sk-ant-api03-Zq8vR2xT7mK4pL9wN3bY6cF1dH5jG0sA",
      "ghp_R4nd0mT0k3nV4lu3sAr3L0ng3n0ughT0M4tch",
      "gho_R4nd0mT0k3nV4lu3sAr3L0ng3n0ughT0M4tch",
      "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz",
      "AKIAIOSFODNN7EXAMPLE",
      "aws --access-key AKIAIOSFODNN7EXAMPLE",
      "xoxb-123456789012-abcdefghijkl",
      "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA",
      "-----BEGIN OPENSSH PRIVATE KEY-----",
      "-----BEGIN PRIVATE KEY-----",
      "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig",
      "glpat-abcdefghij0123456789",
      "api_key=Zq8vR2xT7mK4pL9wN3bY6cF1",
      "{\"aggregated_output\":\"api_key=Zq8vR2xT7mK4pL9wN3bY6cF1\\nHOME=/tmp\\n\"}",
      "export DB_PASSWORD=Zq8vR2xT7mK4pL9wN3bY",
      "{\"token\":\"Zq8vR2xT7mK4pL9wN3bY6cF1\"}",
      "X-Api-Key: Zq8vR2xT7mK4pL9wN3bY6cF1",
      "tool --api-key Zq8vR2xT7mK4pL9wN3bY6cF1",
      "curl -H 'Authorization: Bearer Zq8vR2xT7mK4pL9wN3bY6cF1'",
      "git clone https://deploy:hunter2hunter2@git.example.com/repo.git"})
  void shouldRecogniseLiteralSecrets(String text) {
    assertThat(SecretDetector.looksLikeSecret(text)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{prompt}", "{iteration}", "{loop_id}", "LOOP_COMPLETE", "PROMPT.md", "tests/run.sh",
      "forge/sandbox:0.1.0-bookworm",
      "ghcr.io/org/token-service:sha-3f9a8b7c6d5e4f3a2b1c",
      "forge/x@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
      "--dangerously-skip-permissions", "--output-format", "ANTHROPIC_API_KEY",
      "--max-tokens 4096", "api_key=$ANTHROPIC_API_KEY", "token=${GH_TOKEN}",
      "password=", "--token-file /run/secrets/gh", "task-runner-with-a-long-descriptive-name",
      "https://example.com/path?x=1", "ssh://git@github.com/org/repo.git",
      "https://user:$PASSWORD@example.com", "disk-usage-report-2024",
      "Implement every function in src/textstats.sh so that bash tests/run.sh passes.",
      "3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a",
      "{\"aggregated_output\":\"OPENAI_API_KEY=forge-model-gateway-holds-the-key\\nHOME=/tmp\\n"
          + "FORGE_LOOP_ID=loop-ocvpxdjq04\\nFORGE_ITERATION=3\\n\"}"})
  void shouldLetOrdinaryValuesPass(String text) {
    assertThat(SecretDetector.looksLikeSecret(text)).isFalse();
  }

  @Test
  void shouldJudgeBareTokensByLengthClassesAndEntropy() {
    assertThat(SecretDetector.looksLikeToken("Zq8vR2xT7mK4pL9wN3bY6cF1")).isTrue();
    assertThat(SecretDetector.looksLikeToken("correcthorsebatterystaple")).isFalse();
    assertThat(SecretDetector.looksLikeToken("short1A")).isFalse();
    assertThat(SecretDetector.looksLikeToken("$ANTHROPIC_API_KEY_VALUE")).isFalse();
    assertThat(SecretDetector.looksLikeToken("/home/user/projects/x1")).isFalse();
    assertThat(SecretDetector.looksLikeToken("aaaaaaaaaaaaaaaaaaaa1111")).isFalse();
  }

  @Test
  void shouldRecogniseSecretFlags() {
    assertThat(SecretDetector.isSecretFlag("--api-key")).isTrue();
    assertThat(SecretDetector.isSecretFlag("--token")).isTrue();
    assertThat(SecretDetector.isSecretFlag("-password")).isTrue();
    assertThat(SecretDetector.isSecretFlag("--message")).isFalse();
    assertThat(SecretDetector.isSecretFlag("token")).isFalse();
  }

  @Test
  void shouldStayLinearOnHostileInput() {
    String[] hostile = {
        "key=".repeat(16_000), "://".repeat(20_000), "eyJ".repeat(20_000), "sk-".repeat(20_000),
        "-----BEGIN " + "A ".repeat(30_000), "--token ".repeat(8_000), "a".repeat(60_000)};

    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
      for (String text : hostile) {
        SecretDetector.looksLikeSecret(text);
      }
    });
  }
}
