package dev.forge.activities.sandbox;

import dev.forge.activities.sandbox.output.BoundedOutput;
import dev.forge.activities.sandbox.output.LineScanner;
import dev.forge.activities.sandbox.output.Utf8Text;
import dev.forge.workflows.sandbox.Usage;
import dev.forge.spec.sandbox.UsageFormat;
import java.util.List;

/**
 * Everything a step printed, in bounded memory: stdout and stderr interleaved as they arrived in
 * one head-and-tail buffer, and stdout scanned line by line, over its whole length, for the
 * completion promise and the usage report. Text handed out is redacted.
 *
 * <p>Written by Docker's streaming thread and read by the activity thread, hence synchronized.
 */
final class StepOutput {

  private final BoundedOutput kept;
  private final OutputInterpreter interpreter;
  private final LineScanner stdoutLines;
  private final Redactor redactor;

  StepOutput(int outputBytes, UsageFormat format, String promise, Redactor redactor) {
    this(outputBytes, format, promise, redactor, LineScanner.DEFAULT_MAX_LINE_BYTES);
  }

  StepOutput(
      int outputBytes, UsageFormat format, String promise, Redactor redactor, int maxLineBytes) {
    this(outputBytes, format, List.of(), promise, redactor, maxLineBytes);
  }

  /**
   * @param command the step's argument list (Codex's may pin the model its usage is priced as)
   */
  StepOutput(int outputBytes, UsageFormat format, List<String> command, String promise,
      Redactor redactor, int maxLineBytes) {
    this.kept = new BoundedOutput(outputBytes);
    this.interpreter = new OutputInterpreter(format, command, promise);
    this.stdoutLines = new LineScanner(maxLineBytes, interpreter);
    this.redactor = redactor;
  }

  synchronized void stdout(byte[] bytes) {
    kept.write(bytes);
    stdoutLines.feed(bytes);
  }

  synchronized void stderr(byte[] bytes) {
    kept.write(bytes);
  }

  /** Ends the stream: a last stdout line without a line break is scanned too. */
  synchronized void finish() {
    stdoutLines.finish();
  }

  synchronized boolean truncated() {
    return kept.truncated();
  }

  synchronized long totalBytes() {
    return kept.totalBytes();
  }

  /** The last bytes of the output as text, for feedback to the next iteration. */
  synchronized String tail(int maxBytes) {
    byte[] last = kept.lastBytes(maxBytes);
    String text = Utf8Text.decodeTail(last);
    return last.length < kept.totalBytes()
        ? redactor.redactCutStart(text)
        : redactor.redact(text);
  }

  /**
   * Head and tail of the output for the audit log, at most {@code budget} bytes together. When
   * bytes lie between them, the tail starts with a marker saying how many, so that head and tail
   * joined read like the output with a gap.
   */
  synchronized AuditOutput forAudit(int budget) {
    if (!kept.truncated() && kept.totalBytes() <= budget) {
      return new AuditOutput(redactor.redact(Utf8Text.decode(kept.firstBytes(budget))), "", false);
    }
    byte[] head = kept.firstBytes(budget / 2);
    int markerRoom = BoundedOutput.omissionMarker(kept.totalBytes()).length();
    byte[] tail = kept.lastBytes(Math.max(0, budget - head.length - markerRoom));
    long omitted = kept.totalBytes() - head.length - tail.length;
    return new AuditOutput(
        redactor.redactCutEnd(Utf8Text.decodeHead(head)),
        BoundedOutput.omissionMarker(omitted)
            + redactor.redactCutStart(Utf8Text.decodeTail(tail)),
        true);
  }

  synchronized boolean promiseSeen() {
    return interpreter.promiseSeen();
  }

  /** Usage report lines that could not be read and were skipped. */
  synchronized long usageMalformedLines() {
    return interpreter.usageMalformedLines();
  }

  synchronized Usage usage() {
    Usage usage = interpreter.usage();
    String model = redactor.redact(usage.model());
    return model == null || model.equals(usage.model())
        ? usage
        : new Usage(
            usage.inputTokens(),
            usage.cachedInputTokens(),
            usage.cacheWriteTokens(),
            usage.outputTokens(),
            usage.costUsd(),
            usage.costSource(),
            model,
            usage.priceTable());
  }

  /** Output as the audit log keeps it; {@code truncated} when bytes lie between head and tail. */
  record AuditOutput(String head, String tail, boolean truncated) {}
}
