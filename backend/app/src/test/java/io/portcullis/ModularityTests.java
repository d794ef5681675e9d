package io.portcullis;

import com.tngtech.archunit.core.domain.JavaClass;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/**
 * Each feature package is a module; modules use each other only through their public API, without cycles. The scanner
 * is a library of its own (another Maven module, with no Spring in it), not a feature module, so it is left out.
 */
class ModularityTests {

  static final ApplicationModules modules =
      ApplicationModules.of(
          PortcullisApplication.class, JavaClass.Predicates.resideInAPackage("io.portcullis.scanner.."));

  @Test
  void modulesRespectTheirBoundaries() {
    modules.verify();
  }

  @Test
  void documentModules() {
    new Documenter(modules).writeModulesAsPlantUml().writeIndividualModulesAsPlantUml();
  }
}
