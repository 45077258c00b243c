import type { ValueType } from '@kv-service/client';
import { Button, Group, Input, Radio, Stack, Textarea, TextInput } from '@mantine/core';
import { useId } from 'react';
import { download } from '../layout/download';
import { MaskedValueInput } from '../secrets/masked-value-input';
import classes from './entries.module.css';
import { formatJson, type ValueDraft } from './value-codec';

interface ValueEditorProps {
  valueType: ValueType;
  draft: ValueDraft;
  onChange: (draft: ValueDraft) => void;
  error: string | null;
  readOnly: boolean;
  /** A secret's value: typed unseen, in one masked field whatever its type (a file is chosen, not shown). */
  masked: boolean;
  /** The file name a download of a BINARY value gets. */
  fileName: string;
}

/** What a masked field takes, by type: the text its draft holds (see value-codec's valueOfDraft). */
const MASKED_NOTATION: Record<Exclude<ValueType, 'BINARY'>, string> = {
  STRING: 'Text',
  JSON: 'JSON',
  NUMBER: 'A number, e.g. 42 or -1.5',
  BOOLEAN: 'true or false',
  DATE: 'A date, YYYY-MM-DD',
  DATETIME: 'A date and time in UTC, YYYY-MM-DDTHH:MM:SS',
  DURATION: 'ISO 8601, e.g. PT30S, PT1H30M, P1DT2H',
};

/** The value's field, as its type needs: text, JSON with Format, a number, true/false, a file, a date, a duration. */
export function ValueEditor({ valueType, draft, onChange, error, readOnly, masked, fileName }: ValueEditorProps) {
  const fileId = useId();
  const setText = (text: string) => onChange({ ...draft, text });
  if (masked && valueType !== 'BINARY')
    return (
      <MaskedValueInput
        label="Value"
        description={MASKED_NOTATION[valueType]}
        value={draft.text}
        onChange={setText}
        error={error}
        readOnly={readOnly}
      />
    );
  switch (valueType) {
    case 'STRING':
      return (
        <Textarea
          label="Value"
          minRows={3}
          value={draft.text}
          onChange={(e) => setText(e.currentTarget.value)}
          error={error}
          readOnly={readOnly}
        />
      );
    case 'JSON': {
      const formatted = formatJson(draft.text);
      return (
        <Stack gap={4}>
          <Textarea
            label="Value (JSON)"
            minRows={6}
            ff="monospace"
            value={draft.text}
            onChange={(e) => setText(e.currentTarget.value)}
            error={error}
            readOnly={readOnly}
            spellCheck={false}
          />
          {!readOnly && (
            <Group>
              <Button size="xs" variant="default" disabled={formatted === null} onClick={() => formatted !== null && setText(formatted)}>
                Format
              </Button>
            </Group>
          )}
        </Stack>
      );
    }
    case 'NUMBER':
      return (
        <TextInput
          label="Value (number)"
          inputMode="decimal"
          value={draft.text}
          onChange={(e) => setText(e.currentTarget.value)}
          error={error}
          readOnly={readOnly}
        />
      );
    case 'BOOLEAN':
      return (
        <Radio.Group label="Value" value={draft.text} onChange={setText} error={error} readOnly={readOnly}>
          <Group mt={4}>
            <Radio value="true" label="True" disabled={readOnly} />
            <Radio value="false" label="False" disabled={readOnly} />
          </Group>
        </Radio.Group>
      );
    case 'BINARY':
      return (
        <Input.Wrapper
          label="File"
          labelProps={{ htmlFor: fileId }}
          error={error}
          description={draft.bytes ? `${draft.bytes.byteLength} bytes` : 'No file yet'}
        >
          <Group mt={4} gap="sm">
            {!readOnly && (
              <input
                id={fileId}
                className={classes.fileInput}
                type="file"
                onChange={async (event) => {
                  const file = event.currentTarget.files?.[0];
                  if (file) onChange({ ...draft, bytes: new Uint8Array(await file.arrayBuffer()) });
                }}
              />
            )}
            {draft.bytes && (
              <Button size="xs" variant="default" onClick={() => download(draft.bytes!, fileName)}>
                Download
              </Button>
            )}
          </Group>
        </Input.Wrapper>
      );
    case 'DATE':
      return (
        <TextInput
          label="Value (date)"
          type="date"
          value={draft.text}
          onChange={(e) => setText(e.currentTarget.value)}
          error={error}
          readOnly={readOnly}
        />
      );
    case 'DATETIME':
      return (
        <TextInput
          label="Value (date and time, UTC)"
          type="datetime-local"
          step={1}
          value={draft.text}
          onChange={(e) => setText(e.currentTarget.value)}
          error={error}
          readOnly={readOnly}
        />
      );
    case 'DURATION':
      return (
        <TextInput
          label="Value (duration)"
          description="ISO 8601, e.g. PT30S, PT1H30M, P1DT2H"
          value={draft.text}
          onChange={(e) => setText(e.currentTarget.value)}
          error={error}
          readOnly={readOnly}
        />
      );
  }
}
