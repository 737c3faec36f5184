declare module 'asl-validator' {
  type Result = {
    isValid: boolean;
    errors: Array<{ message: string }>;
    errorsText(separator?: string): string;
  };
  export default function aslValidator(
    definition: object,
    options?: { checkPaths?: boolean; checkArn?: boolean },
  ): Result;
}
