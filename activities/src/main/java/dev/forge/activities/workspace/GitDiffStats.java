package dev.forge.activities.workspace;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How much a loop changed: {@code git diff --shortstat <base> <sha>} in the loop's repository, run
 * through the hardened {@link Git} runner (explicit git directory, empty environment, no hooks, no
 * external diff or text conversion). Both commits must be full object ids.
 */
public final class GitDiffStats {

  /** Files changed, lines inserted and lines deleted between two commits. */
  public record DiffStat(int filesChanged, long insertions, long deletions) {}

  private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");
  private static final Pattern FILES = Pattern.compile("(\\d+) files? changed");
  private static final Pattern INSERTIONS = Pattern.compile("(\\d+) insertions?\\(\\+\\)");
  private static final Pattern DELETIONS = Pattern.compile("(\\d+) deletions?\\(-\\)");

  private final Git git;

  public GitDiffStats(String gitExecutable, Duration timeout) {
    this(new Git(gitExecutable, timeout));
  }

  GitDiffStats(Git git) {
    this.git = git;
  }

  /** The diff stat from {@code base} to {@code sha} in the repository at {@code repository}. */
  public DiffStat between(Path repository, String base, String sha) {
    if (!repository.isAbsolute() || !SHA.matcher(base).matches() || !SHA.matcher(sha).matches()) {
      throw new IllegalArgumentException("an absolute repository path and two full commit ids are"
          + " needed, got " + repository + ", " + base + ", " + sha);
    }
    String out = git.run(GitContext.repository(repository), "diff", "--shortstat", "--no-renames",
        "--no-ext-diff", "--no-textconv", base, sha, "--").stdout();
    return new DiffStat((int) count(FILES, out), count(INSERTIONS, out), count(DELETIONS, out));
  }

  private static long count(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }
}
