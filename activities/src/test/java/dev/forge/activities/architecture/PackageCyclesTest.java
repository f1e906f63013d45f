package dev.forge.activities.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The activities' packages depend on each other in one direction only, at every depth: the
 * sandbox's usage collectors and output handling are sub-packages the sandbox uses, and neither
 * reaches back into it.
 */
@AnalyzeClasses(packages = "dev.forge.activities", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageCyclesTest {

  /** Between top-level packages: audit, sandbox, workspace. */
  @ArchTest
  static final ArchRule noCyclesBetweenPackages =
      slices().matching("dev.forge.activities.(*)..").should().beFreeOfCycles();

  /** Between every package, sub-packages included: the sandbox, its egress, gateway, output and usage. */
  @ArchTest
  static final ArchRule noCyclesBetweenAnyPackages =
      slices().matching("dev.forge.activities.(**)").should().beFreeOfCycles();
}
