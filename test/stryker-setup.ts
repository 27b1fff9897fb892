import { configureForMutationTesting } from "./runs.js";

configureForMutationTesting();
