// The SARIF log `lint --format sarif` prints has the types of SARIF 2.1.0 (`@types/sarif`, from the
// standard's schema): every property it writes exists there, with that type.
import type { Log, Result, Location } from "sarif";
import { describe, expectTypeOf, test } from "vitest";
import type { SarifLocation, SarifLog, SarifResult } from "../../src/cli/sarif.js";

describe("SARIF types", () => {
  test("the log, its results and locations are SARIF 2.1.0", () => {
    expectTypeOf<SarifLog>().toExtend<Log>();
    expectTypeOf<SarifResult>().toExtend<Result>();
    expectTypeOf<SarifLocation>().toExtend<Location>();
  });
});
