package dev.forge.activities.sandbox;

import static dev.forge.activities.sandbox.SandboxFailures.configError;

import dev.forge.workflows.sandbox.SandboxStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A container's environment: {@code HOME}, the loop's identity, and the credentials the sandbox
 * config maps from host variables. Errors name variables, never values.
 *
 * @param entries {@code NAME=value} entries, credential values included
 * @param secrets the credential values, for redaction
 */
record SandboxEnvironment(List<String> entries, List<String> secrets) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  SandboxEnvironment {
    entries = List.copyOf(entries);
    secrets = List.copyOf(secrets);
  }

  static SandboxEnvironment resolve(SandboxStep step, Function<String, String> hostEnv) {
    List<String> entries = new ArrayList<>();
    List<String> secrets = new ArrayList<>();
    entries.add("HOME=/tmp");
    entries.add("FORGE_LOOP_ID=" + step.loopId());
    entries.add("FORGE_ITERATION=" + step.iteration());
    for (Map.Entry<String, String> mapping : step.sandbox().env().entrySet()) {
      String name = mapping.getKey();
      String hostName = mapping.getValue();
      checkNames(name, hostName);
      String value = hostEnv.apply(hostName);
      if (value == null || value.isEmpty()) {
        throw configError(
            "sandbox variable " + name + " needs host variable " + hostName
                + ", which is not set (or empty) on the worker; export it where the worker runs");
      }
      if (value.indexOf('\0') >= 0) {
        throw configError("host variable " + hostName + " contains NUL and cannot be passed on");
      }
      secrets.add(value);
      entries.add(name + "=" + value);
    }
    return new SandboxEnvironment(entries, secrets);
  }

  private static void checkNames(String name, String hostName) {
    if (name == null || !NAME.matcher(name).matches()
        || name.equals("HOME") || name.startsWith("FORGE_")) {
      throw configError(
          "sandbox variable " + name + " is not allowed (letters, digits and _ only; HOME and"
              + " FORGE_* are reserved)");
    }
    if (hostName == null || !NAME.matcher(hostName).matches()) {
      // Config that looks like a literal secret must not be echoed back.
      throw configError(
          "sandbox variable " + name + " must name a host variable, not "
              + (hostName == null ? "nothing" : "a value that is not a variable name"));
    }
  }

  @Override
  public String toString() {
    return "SandboxEnvironment[" + entries.size() + " entries, values hidden]";
  }
}
