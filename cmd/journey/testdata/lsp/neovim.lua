-- Drives `journey lsp` from a real Neovim (0.7 or later), headless. The Go
-- test TestLSPNeovim runs it and checks what it writes to $OUT.
local bin, ws, out = os.getenv('JOURNEY_BIN'), os.getenv('WS'), os.getenv('OUT')
local result = { steps = {} }

local function step(name) table.insert(result.steps, name) end

local function finish()
  local f = assert(io.open(out, 'w'))
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd('qa!')
end

local function find(buf, needle)
  for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    local col = line:find(needle, 1, true)
    if col then return i, col - 1 end
  end
  error('not found: ' .. needle)
end

local ok, err = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(ws .. '/trial.journey.yaml'))
  local buf = vim.api.nvim_get_current_buf()
  local id = vim.lsp.start_client({ name = 'journey', cmd = { bin, 'lsp' }, root_dir = ws })
  assert(id, 'the client did not start')
  vim.lsp.buf_attach_client(buf, id)
  step('attached')

  -- Diagnostics.
  vim.wait(30000, function() return #vim.diagnostic.get(buf) > 0 end, 20)
  result.diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local code = d.code
    if code == nil and d.user_data and d.user_data.lsp then code = d.user_data.lsp.code end
    table.insert(result.diagnostics, { lnum = d.lnum, col = d.col, end_col = d.end_col, code = code, message = d.message })
  end
  step('diagnostics')

  -- Completion inside `next: [pays]`.
  local line, col = find(buf, 'next: [pays]')
  vim.api.nvim_win_set_cursor(0, { line, col + #'next: [pa' })
  local params = vim.lsp.util.make_position_params()
  local responses = vim.lsp.buf_request_sync(buf, 'textDocument/completion', params, 30000) or {}
  result.completion = {}
  for _, r in pairs(responses) do
    local items = r.result and (r.result.items or r.result) or {}
    for _, it in ipairs(items) do table.insert(result.completion, it.label) end
  end
  step('completion')

  -- Hover on a hand-off: the stage of the other journey, by name.
  local function request(method, params)
    local texts = {}
    for _, r in pairs(vim.lsp.buf_request_sync(buf, method, params, 30000) or {}) do
      if r.result ~= nil then table.insert(texts, vim.fn.json_encode(r.result)) end
    end
    return table.concat(texts, '\n')
  end
  line, col = find(buf, 'talks-to-sales')
  vim.api.nvim_win_set_cursor(0, { line, col + 3 })
  result.hover = request('textDocument/hover', vim.lsp.util.make_position_params())
  step('hover')

  -- References of the same stage, in both files.
  local refs = vim.lsp.util.make_position_params()
  refs.context = { includeDeclaration = true }
  result.references = request('textDocument/references', refs)
  step('references')

  -- Document symbols: the phases with their stages.
  result.symbols = request('textDocument/documentSymbol', { textDocument = vim.lsp.util.make_text_document_params() })
  step('symbols')

  -- A quick fix for the misspelt phase.
  line, col = find(buf, 'activaton')
  vim.api.nvim_win_set_cursor(0, { line, col + 2 })
  local range = vim.lsp.util.make_range_params()
  range.context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(buf, line - 1) }
  result.actions = request('textDocument/codeAction', range)
  step('code actions')

  -- Formatting: journey fmt's layout, as edits.
  result.formatting = request('textDocument/formatting', { textDocument = vim.lsp.util.make_text_document_params(), options = { tabSize = 2, insertSpaces = true } })
  step('formatting')

  -- A definition jump into the other file.
  line, col = find(buf, 'talks-to-sales')
  vim.api.nvim_win_set_cursor(0, { line, col + 3 })
  vim.lsp.buf.definition()
  vim.wait(30000, function() return vim.api.nvim_buf_get_name(0):match('sales%.journey%.yaml$') ~= nil end, 20)
  result.definition = { file = vim.api.nvim_buf_get_name(0), cursor = vim.api.nvim_win_get_cursor(0) }
  step('definition')

  -- Back, and a rename that edits both files.
  vim.api.nvim_set_current_buf(buf)
  line, col = find(buf, 'talks-to-sales')
  vim.api.nvim_win_set_cursor(0, { line, col + 3 })
  vim.lsp.buf.rename('meets-sales')
  vim.wait(30000, function()
    return table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n'):find('meets-sales', 1, true) ~= nil
  end, 20)
  vim.cmd('silent! wall')
  step('rename')
end)
if not ok then result.error = tostring(err) end
finish()
