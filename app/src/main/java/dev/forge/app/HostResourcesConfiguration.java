package dev.forge.app;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Info;
import dev.forge.activities.workspace.DiskQuotaMode;
import dev.forge.activities.workspace.QuotaReservations;
import dev.forge.api.policy.HostResources;
import dev.forge.worker.WorkerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tells the API's policy what the host has: CPUs and memory from the Docker engine (asked once,
 * when first needed; this machine's own while the engine cannot be reached), and the work trees' disk with what quota images have promised (measured at
 * every start).
 */
@Configuration(proxyBeanMethods = false)
class HostResourcesConfiguration {

  @Bean
  HostResources hostResources(DockerClient docker, WorkerProperties worker) {
    return new HostResources() {
      private volatile Info info;

      @Override
      public int cpus() {
        Info known = info();
        return known == null || known.getNCPU() == null
            ? Runtime.getRuntime().availableProcessors() : known.getNCPU();
      }

      @Override
      public long memoryBytes() {
        Info known = info();
        return known == null || known.getMemTotal() == null ? hostMemory() : known.getMemTotal();
      }

      @Override
      public Disk worktreeDisk() {
        if (worker.diskQuota() == DiskQuotaMode.OFF) {
          return null;
        }
        QuotaReservations.Disk disk = QuotaReservations.measure(worker.worktreesDir());
        return new Disk(disk.usableBytes(), disk.unwrittenBytes());
      }

      /** The engine's facts, or null while it cannot be reached (this host's own then). */
      private Info info() {
        Info known = info;
        if (known == null) {
          try {
            known = docker.infoCmd().exec();
            info = known;
          } catch (RuntimeException unreachable) {
            return null;
          }
        }
        return known;
      }
    };
  }

  private static long hostMemory() {
    return ((com.sun.management.OperatingSystemMXBean)
        java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
  }
}
