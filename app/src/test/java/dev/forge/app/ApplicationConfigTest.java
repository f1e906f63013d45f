package dev.forge.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forge.workflows.TaskQueues;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** application.yml names what the code also names; a rename on one side alone fails here. */
class ApplicationConfigTest {

  @Test
  @SuppressWarnings("unchecked")
  void shouldRegisterTheWorkerOnTheLoopsTaskQueueWithEveryActivityBean() throws IOException {
    Map<String, Object> yaml;
    try (InputStream in = getClass().getResourceAsStream("/application.yml")) {
      yaml = new Yaml().load(in);
    }
    Map<String, Object> temporal = (Map<String, Object>) ((Map<String, Object>) yaml.get("spring")).get("temporal");
    List<Map<String, Object>> workers = (List<Map<String, Object>>) temporal.get("workers");

    assertThat(workers).singleElement().satisfies(worker -> {
      assertThat(worker.get("task-queue")).isEqualTo(TaskQueues.LOOPS);
      assertThat((List<String>) worker.get("workflow-classes"))
          .containsExactly(dev.forge.workflows.loop.LoopWorkflowImpl.class.getName());
      assertThat((List<String>) worker.get("activity-beans"))
          .containsExactlyInAnyOrder("sandboxActivities", "workspaceActivities", "auditActivities");
    });
    assertThat(temporal).doesNotContainKey("connection");
    assertThat(((Map<String, Object>) yaml.get("server")).get("address")).isEqualTo("127.0.0.1");
  }
}
