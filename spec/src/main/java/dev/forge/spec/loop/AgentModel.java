package dev.forge.spec.loop;

import dev.forge.spec.RuleException;
import dev.forge.spec.sandbox.Destination;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code loop.agent.model}: the model provider the agent reaches through Forge's model gateway, and
 * the host variable holding the provider's key. The key never enters the sandbox: the gateway reads
 * the variable on the worker at every call and adds it to the request it forwards.
 *
 * @param provider the provider
 * @param credential the <em>name</em> of the host variable holding the key; never its value
 * @param toolResults what the gateway does with a request whose tool results look like prompt
 *     injection: {@code FLAG} audits it and forwards it, {@code REFUSE} also refuses the call
 */
public record AgentModel(ModelProvider provider, String credential, ToolResults toolResults) {

  /** What to do with tool results that look like prompt injection. */
  public enum ToolResults {
    FLAG,
    REFUSE
  }

  public AgentModel {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(credential, "credential");
    toolResults = toolResults == null ? ToolResults.FLAG : toolResults;
  }

  /**
   * Refuses an allowlist that would let the sandbox reach the provider's API around the gateway
   * ({@code api.anthropic.com:443}, or a wildcard covering it). Checked by the forge.yml parser and
   * again by the sandbox activity.
   *
   * @param allowed normalised {@code host:port} entries
   * @throws RuleException {@code conflict} naming the entry
   */
  public void checkAllowlist(Collection<String> allowed) {
    for (String entry : allowed) {
      Destination destination = Destination.parseNormalised(entry);
      if (destination.matchesHost(provider.apiHost())) {
        throw new RuleException("conflict", "must not hold " + entry + ": with loop.agent.model"
            + " provider " + provider.configName() + " the sandbox reaches " + provider.apiHost()
            + " only through Forge's model gateway, which holds the key; remove the entry");
      }
    }
  }

  /**
   * Refuses a credential that credentials.env also hands to the sandbox (the key would then be in
   * the sandbox after all), and a credentials.env entry for the variables the gateway sets.
   *
   * @param sandboxEnv credentials.env, sandbox name to host name
   * @throws RuleException {@code conflict} naming the variable
   */
  public void checkNotInSandbox(Map<String, String> sandboxEnv) {
    if (sandboxEnv.containsValue(credential)) {
      throw new RuleException("conflict", "host variable " + credential + " is the model key the"
          + " gateway holds; credentials.env must not also hand it to the sandbox");
    }
    for (String name : List.of(provider.keyVariable(), provider.baseUrlVariable())) {
      if (sandboxEnv.containsKey(name)) {
        throw new RuleException("conflict", "with a model provider Forge sets the sandbox's "
            + name + " itself (to reach the gateway, with no key); remove it from credentials.env");
      }
    }
  }
}
