package dev.forge.cli;

/** A failure to report to the user in one line, without a stack trace. */
final class CliException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  CliException(String message) {
    super(message, null, false, false);
  }
}
