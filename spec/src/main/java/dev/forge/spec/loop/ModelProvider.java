package dev.forge.spec.loop;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A model provider an agent reaches through Forge's model gateway ({@code loop.agent.model.provider}
 * in forge.yml): the one definition of its name, of the variables that point an agent CLI at the
 * gateway, and of the API host the sandbox must never reach directly.
 */
public enum ModelProvider {

  /** The Anthropic Messages API (Claude Code, and anything using an Anthropic SDK). */
  ANTHROPIC("anthropic", "ANTHROPIC_BASE_URL", "", "ANTHROPIC_API_KEY", "api.anthropic.com"),

  /** The OpenAI Responses and Chat Completions APIs (Codex, and anything using an OpenAI SDK). */
  OPENAI("openai", "OPENAI_BASE_URL", "/v1", "OPENAI_API_KEY", "api.openai.com");

  /**
   * What the sandbox's key variable holds: not a key. Agent CLIs that insist on a key get this; the
   * gateway drops it and adds the real one.
   */
  public static final String PLACEHOLDER_KEY = "forge-model-gateway-holds-the-key";

  private final String configName;
  private final String baseUrlVariable;
  private final String basePath;
  private final String keyVariable;
  private final String apiHost;

  ModelProvider(String configName, String baseUrlVariable, String basePath, String keyVariable,
      String apiHost) {
    this.configName = configName;
    this.baseUrlVariable = baseUrlVariable;
    this.basePath = basePath;
    this.keyVariable = keyVariable;
    this.apiHost = apiHost;
  }

  /** Its name in forge.yml. */
  public String configName() {
    return configName;
  }

  /** The sandbox variable that points the provider's SDKs and CLIs at a base URL. */
  public String baseUrlVariable() {
    return baseUrlVariable;
  }

  /** What follows host and port in that base URL ({@code /v1} for OpenAI's SDKs). */
  public String basePath() {
    return basePath;
  }

  /** The sandbox variable the provider's SDKs and CLIs read their key from. */
  public String keyVariable() {
    return keyVariable;
  }

  /** The provider's public API host, which the sandbox reaches only through the gateway. */
  public String apiHost() {
    return apiHost;
  }

  /** The provider called {@code name} in forge.yml. */
  public static Optional<ModelProvider> byName(String name) {
    return Arrays.stream(values()).filter(p -> p.configName.equals(name)).findFirst();
  }

  /** Every name forge.yml accepts, in order. */
  public static List<String> names() {
    return Arrays.stream(values()).map(ModelProvider::configName).toList();
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
