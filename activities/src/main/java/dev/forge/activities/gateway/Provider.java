package dev.forge.activities.gateway;

import java.util.Arrays;
import java.util.Optional;

/** A model provider whose API the {@link ModelGateway} forwards, and how it is authenticated. */
public enum Provider {
  /** The Anthropic Messages API; the key goes in {@code x-api-key}. */
  ANTHROPIC("anthropic"),
  /** The OpenAI Responses and Chat Completions APIs; the key goes in {@code authorization}. */
  OPENAI("openai");

  private final String configName;

  Provider(String configName) {
    this.configName = configName;
  }

  /** The provider's name in forge.yml and operator configuration: {@code anthropic}, {@code openai}. */
  public String configName() {
    return configName;
  }

  /** The provider of a configuration name, exactly as {@link #configName()} spells it. */
  public static Optional<Provider> byName(String name) {
    return Arrays.stream(values()).filter(p -> p.configName.equals(name)).findFirst();
  }
}
