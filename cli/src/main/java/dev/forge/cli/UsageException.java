package dev.forge.cli;

/** A command line the CLI cannot read: reported with the usage text, exit status 2. */
final class UsageException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message, null, false, false);
  }
}
