package dev.forge.app;

import dev.forge.activities.workspace.GitDiffStats;
import dev.forge.activities.workspace.WorkspaceSettings;
import dev.forge.api.gates.DiffStats;
import dev.forge.worker.WorkerProperties;
import java.nio.file.Path;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Connects the API's pending-gates view to the host: diff stats come from the hardened git runner
 * of the activities, with the worker's git timeout.
 */
@Configuration(proxyBeanMethods = false)
class GateContextConfiguration {

  @Bean
  DiffStats diffStats(WorkerProperties worker) {
    GitDiffStats git = new GitDiffStats(WorkspaceSettings.DEFAULT_GIT_EXECUTABLE, worker.gitTimeout());
    return (repository, base, sha) -> {
      GitDiffStats.DiffStat stat = git.between(Path.of(repository), base, sha);
      return new DiffStats.DiffStat(stat.filesChanged(), stat.insertions(), stat.deletions());
    };
  }
}
