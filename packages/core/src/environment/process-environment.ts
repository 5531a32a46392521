import { ScopedEnvironment } from './scoped-environment';

/** The default {@link EnvironmentSource}: `process.env`, read at call time. */
export class ProcessEnvironment extends ScopedEnvironment {
  constructor() {
    super((name) => process.env[name]);
  }
}
