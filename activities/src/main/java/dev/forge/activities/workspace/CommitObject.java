package dev.forge.activities.workspace;

import java.util.ArrayList;
import java.util.List;

/**
 * A commit as {@code git cat-file commit} prints it. Read with plumbing rather than {@code git
 * log}, which would honour settings such as {@code log.showSignature} that start other programs.
 *
 * @param sha the commit
 * @param tree its tree
 * @param parents its parents, first parent first
 * @param message its message
 */
record CommitObject(String sha, String tree, List<String> parents, String message) {

  static CommitObject read(Git git, GitContext context, String sha) {
    return parse(sha, git.run(context, "cat-file", "commit", sha).stdout());
  }

  static CommitObject parse(String sha, String raw) {
    int end = raw.indexOf("\n\n");
    String headers = end < 0 ? raw : raw.substring(0, end);
    String message = end < 0 ? "" : raw.substring(end + 2);
    String tree = null;
    List<String> parents = new ArrayList<>();
    for (String line : headers.split("\n")) {
      if (line.startsWith("tree ")) {
        tree = line.substring(5);
      } else if (line.startsWith("parent ")) {
        parents.add(line.substring(7));
      }
    }
    if (tree == null) {
      throw new IllegalStateException("commit " + sha + " has no tree header");
    }
    return new CommitObject(sha, tree, List.copyOf(parents), message);
  }

  /** The first parent, or {@code null} for a root commit. */
  String firstParent() {
    return parents.isEmpty() ? null : parents.get(0);
  }
}
