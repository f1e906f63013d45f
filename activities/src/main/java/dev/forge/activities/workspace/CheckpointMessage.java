package dev.forge.activities.workspace;

import dev.forge.workflows.workspace.CheckpointKind;
import java.util.ArrayList;
import java.util.List;

/**
 * The commit message of a checkpoint, and how Forge recognises one again: by the trailers in the
 * message's last paragraph, never by the subject line.
 */
final class CheckpointMessage {

  static final String LOOP = "Forge-Loop";
  static final String ITERATION = "Forge-Iteration";
  static final String CHECKPOINT = "Forge-Checkpoint";

  private CheckpointMessage() {}

  static String format(String loopId, int iteration, CheckpointKind kind, String key) {
    String subject;
    String body;
    if (kind == CheckpointKind.FINAL) {
      subject = "forge(" + loopId + "): final checkpoint after iteration " + iteration;
      body = "The work tree after the last iteration of loop " + loopId + ", saved by Forge.";
    } else {
      subject = "forge(" + loopId + "): checkpoint before iteration " + iteration;
      body =
          "The work tree before iteration "
              + iteration
              + " of loop "
              + loopId
              + ", saved by Forge.";
    }
    return subject
        + "\n\n"
        + body
        + "\n\n"
        + LOOP
        + ": "
        + loopId
        + "\n"
        + ITERATION
        + ": "
        + iteration
        + "\n"
        + CHECKPOINT
        + ": "
        + key
        + "\n";
  }

  /**
   * The message of a loop's squash commit: the workflow's subject and body, then the trailers that
   * make it recognisable ({@code Forge-Checkpoint: squash}) and name the unsquashed tip.
   */
  static String squash(String loopId, int iteration, String subject, String body, String from) {
    String firstLine = subject == null || subject.isBlank()
        ? "forge(" + loopId + "): the loop's work, squashed"
        : subject.strip().lines().findFirst().orElse("");
    String text = body == null || body.isBlank() ? "" : body.strip() + "\n\n";
    return firstLine + "\n\n" + text
        + LOOP + ": " + loopId + "\n"
        + ITERATION + ": " + iteration + "\n"
        + CHECKPOINT + ": " + Squasher.KEY + "\n"
        + Squasher.SQUASHED_FROM + ": " + from + "\n";
  }

  /** Whether the message is the checkpoint {@code key} of loop {@code loopId}. */
  static boolean isCheckpoint(String message, String loopId, String key) {
    List<String> trailers = trailers(message);
    return trailers.contains(LOOP + ": " + loopId) && trailers.contains(CHECKPOINT + ": " + key);
  }

  /** Whether the message is any checkpoint of loop {@code loopId}. */
  static boolean belongsTo(String message, String loopId) {
    return trailers(message).contains(LOOP + ": " + loopId);
  }

  /** The lines of the last paragraph when it has the shape of a trailer block, else nothing. */
  static List<String> trailers(String message) {
    String[] paragraphs = message.replace("\r\n", "\n").strip().split("\n[ \t]*\n");
    if (paragraphs.length < 2) {
      return List.of();
    }
    List<String> lines = new ArrayList<>();
    for (String line : paragraphs[paragraphs.length - 1].split("\n")) {
      if (!line.matches("[A-Za-z0-9-]+: .*")) {
        return List.of();
      }
      lines.add(line.strip());
    }
    return lines;
  }
}
