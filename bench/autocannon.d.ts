// The parts of autocannon's API the load client uses (the package ships no types).
declare module 'autocannon' {
  namespace autocannon {
    type Request = {
      method?: string;
      path?: string;
      headers?: Record<string, string>;
      body?: string | Buffer;
    };
    type Options = {
      url: string;
      method?: string;
      connections?: number;
      duration?: number;
      amount?: number;
      timeout?: number;
      headers?: Record<string, string>;
      body?: string;
      requests?: Array<Request & { setupRequest?: (request: Request, context: object) => Request }>;
    };
    type Histogram = { average: number; max: number; p50: number; p90: number; p99: number; total: number };
    type Result = {
      duration: number;
      errors: number;
      timeouts: number;
      latency: Histogram;
      requests: Histogram;
    };
    type Instance = PromiseLike<Result> & {
      on(event: 'response', listener: (client: unknown, statusCode: number) => void): Instance;
      stop(): void;
    };
  }
  function autocannon(options: autocannon.Options): autocannon.Instance;
  export = autocannon;
}
