package dev.forge.api.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The API's feature packages depend on each other in one direction only: a cycle (as
 * {@code security} and {@code tokens} once had) means neither package can be read, tested or
 * moved without the other.
 */
@AnalyzeClasses(packages = "dev.forge.api", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageCyclesTest {

  @ArchTest
  static final ArchRule noCyclesBetweenPackages =
      slices().matching("dev.forge.api.(*)..").should().beFreeOfCycles();
}
