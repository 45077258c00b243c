import { Button, FileButton, Group, PasswordInput, Stack, Text } from '@mantine/core';
import { useState } from 'react';

/** A file larger than this is not read: the gateway refuses a value of more than 1 MiB by default (KV_MAX_VALUE_BYTES). */
const LARGEST_FILE_BYTES = 1024 * 1024;

interface MaskedValueInputProps {
  label: string;
  description: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | null;
  readOnly?: boolean;
  autoFocus?: boolean;
}

/**
 * A secret's value typed unseen, or read from a file and never shown. A masked field is one line (a browser drops a
 * pasted value's line breaks), so a value of several lines, a PEM key say, comes from its file, byte for byte as text.
 */
export function MaskedValueInput({ label, description, value, onChange, error, readOnly = false, autoFocus }: MaskedValueInputProps) {
  // The file's name while the value is what was read from it.
  const [fromFile, setFromFile] = useState<string | null>(null);
  const [fileProblem, setFileProblem] = useState<string | null>(null);
  const read = async (file: File | null) => {
    if (file === null) return;
    if (file.size > LARGEST_FILE_BYTES) return setFileProblem(`${file.name} is larger than 1 MiB, the largest value`);
    const text = await file.text();
    setFileProblem(null);
    setFromFile(file.name);
    onChange(text);
  };
  if (fromFile !== null) {
    // A last line break ends the last line; it does not start another.
    const lines = value.split('\n').length - (value.endsWith('\n') ? 1 : 0);
    return (
      <Stack gap={4}>
        <Text size="sm" fw={500}>
          {label}
        </Text>
        <Group gap="xs">
          <Text size="sm" role="status">
            Read from {fromFile}: {value.length} characters on {lines} {lines === 1 ? 'line' : 'lines'}, never shown
          </Text>
          {!readOnly && (
            <Button
              size="xs"
              variant="default"
              onClick={() => {
                setFromFile(null);
                onChange('');
              }}
            >
              Clear
            </Button>
          )}
        </Group>
        {error && (
          <Text size="sm" c="red" role="alert">
            {error}
          </Text>
        )}
      </Stack>
    );
  }
  return (
    <Stack gap={4}>
      <PasswordInput
        label={label}
        description={`${description}; one line (several lines: from a file); never shown back`}
        // Not a password of this site's: no password manager is asked to keep it.
        autoComplete="off"
        value={value}
        onChange={(event) => onChange(event.currentTarget.value)}
        error={error ?? fileProblem}
        readOnly={readOnly}
        data-autofocus={autoFocus}
      />
      {!readOnly && (
        <Group>
          <FileButton onChange={(file) => void read(file)}>
            {(props) => (
              <Button size="xs" variant="default" {...props}>
                From a file…
              </Button>
            )}
          </FileButton>
        </Group>
      )}
    </Stack>
  );
}
