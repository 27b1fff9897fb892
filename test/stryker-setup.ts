import { scaleDefaultRuns } from "./runs.js";

scaleDefaultRuns();
