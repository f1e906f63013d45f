package dev.forge.activities.workspace;

/**
 * What a finished git process left behind.
 *
 * @param exitCode the exit status
 * @param stdout standard output, decoded as UTF-8
 * @param stderr standard error, decoded as UTF-8 and possibly shortened
 */
record GitResult(int exitCode, String stdout, String stderr) {

  boolean succeeded() {
    return exitCode == 0;
  }

  /** Standard output without the trailing newline git prints after a single value. */
  String line() {
    return stdout.strip();
  }
}
