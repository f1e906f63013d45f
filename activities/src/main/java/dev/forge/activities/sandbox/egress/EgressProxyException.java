package dev.forge.activities.sandbox.egress;

/** An egress proxy could not be set up (the engine failed, or Squid did not come up). */
public final class EgressProxyException extends RuntimeException {

  public EgressProxyException(String message) {
    super(message);
  }

  public EgressProxyException(String message, Throwable cause) {
    super(message, cause);
  }
}
